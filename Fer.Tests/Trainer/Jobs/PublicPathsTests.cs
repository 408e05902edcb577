using Fer.Trainer.Jobs;

namespace Fer.Tests.Trainer.Jobs;

public sealed class PublicPathsTests
{
    [Theory]
    [InlineData("looked in: /srv/fer/data (not found); /tmp/x-too (no train/ folder)", "looked in: …/data (not found); …/x-too (no train/ folder)")]
    [InlineData("no file '/home/u/w.pth' (looked in /a/b/w.pth, /c/w.pth)", "no file '…/w.pth' (looked in …/w.pth, …/w.pth)")]
    [InlineData("Expected train/<class>/*.jpg at 180 img/s, see http://host/x/y", "Expected train/<class>/*.jpg at 180 img/s, see http://host/x/y")]
    [InlineData("/var/runs/job-1", "…/job-1")]
    public void Redact_CutsEveryAbsolutePathToItsLastPart_AndLeavesTheRestAlone(string text, string expected) =>
        Assert.Equal(expected, PublicPaths.Redact(text));

    [Theory]
    [InlineData("/srv/fer/data/fer2013/", "fer2013")]
    [InlineData("../shared/data/fer2013", "fer2013")]
    [InlineData(null, null)]
    public void Name_IsThePathsLastPart(string? path, string? expected) => Assert.Equal(expected, PublicPaths.Name(path));
}
