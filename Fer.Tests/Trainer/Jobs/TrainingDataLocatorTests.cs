using Fer.Tests.Infrastructure;
using Fer.Trainer.Extensions;
using Fer.Trainer.Jobs;
using Microsoft.Extensions.Options;

namespace Fer.Tests.Trainer.Jobs;

public sealed class TrainingDataLocatorTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("fer-locator-").FullName;

    [Fact]
    public void TheDefaultConfiguration_FindsTheSharedFer2013BesideTheRepository()
    {
        var locator = Create(new TrainerOptions());

        Assert.Equal(Path.GetFullPath(RepositoryPaths.Fer2013), locator.Locate(null));
    }

    [Fact]
    public void AJobsRelativeData_IsTakenFromTheRepositoryRoot_AndACsvFileCounts()
    {
        var csv = Path.Combine(scratch, "fer2013.csv");
        File.WriteAllText(csv, "emotion,pixels,Usage\n");
        var locator = Create(new TrainerOptions());

        Assert.Equal(Path.GetFullPath(RepositoryPaths.Fer2013), locator.Locate("../shared/data/fer2013"));
        Assert.Equal(csv, locator.Locate(csv));
    }

    [Fact]
    public void NoUsableData_FailsNamingEveryPlaceAndWhyItDidNotCount_AndTheLayout()
    {
        Directory.CreateDirectory(Path.Combine(scratch, "empty", "train"));
        Directory.CreateDirectory(Path.Combine(scratch, "flat"));
        var locator = Create(new TrainerOptions
        {
            DataDirectory = Path.Combine(scratch, "missing"),
            FallbackDataDirectories = [Path.Combine(scratch, "flat"), Path.Combine(scratch, "empty")],
        });

        var error = Assert.Throws<TrainingDataNotFoundException>(() => locator.Locate(null)).Message;

        Assert.Contains("Trainer:DataDirectory", error);
        Assert.Contains($"{Path.Combine(scratch, "missing")} (not found)", error);
        Assert.Contains($"{Path.Combine(scratch, "flat")} (no train/ folder)", error);
        Assert.Contains($"{Path.Combine(scratch, "empty")} (train/ holds no class folders)", error);
        Assert.Contains("train/<class>/*.jpg", error);
        Assert.Contains("FER2013 CSV", error);
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    private static TrainingDataLocator Create(TrainerOptions options) =>
        new(TrainerPathsFactory.Create(options), Options.Create(options));
}
