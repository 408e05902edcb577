using Fer.Faces;
using Fer.Faces.Detection;

namespace Fer.Tests.Faces;

public sealed class NonMaximumSuppressionTests
{
    [Fact]
    public void Apply_DropsBoxesOverlappingABetterOne_AndKeepsDisjointOnes()
    {
        var best = new FaceBox(0, 0, 10, 10, 0.9f);
        // Shifted by (1, 1): intersection 9 x 9 = 81, union 100 + 100 - 81 = 119, IoU 0.681 > 0.3: dropped.
        var shifted = new FaceBox(1, 1, 11, 11, 0.8f);
        // Far away: IoU 0, kept although its score is the lowest.
        var elsewhere = new FaceBox(20, 20, 30, 30, 0.7f);

        var kept = NonMaximumSuppression.Apply([elsewhere, shifted, best], 0.3f);

        Assert.Equal([best, elsewhere], kept);
    }

    [Fact]
    public void Apply_ComparesIoUWithTheThreshold_StrictlyAbove()
    {
        var best = new FaceBox(0, 0, 10, 10, 0.9f);
        // Half across: intersection 5 x 10 = 50, union 100 + 100 - 50 = 150, IoU 1/3.
        var half = new FaceBox(5, 0, 15, 10, 0.85f);

        Assert.Equal([best], NonMaximumSuppression.Apply([best, half], 0.3f));
        Assert.Equal([best, half], NonMaximumSuppression.Apply([best, half], 0.34f));
        Assert.Equal([best], NonMaximumSuppression.Apply([best, half], 1f / 3 - 1e-6f));
    }

    [Fact]
    public void Apply_OnlyKeptBoxesSuppress()
    {
        // a overlaps b (intersection 4 x 10 = 40, union 160, IoU 0.25) and b overlaps c (the same 0.25); a and c are
        // disjoint. At 0.2, a drops b, and c stays: the box that would have dropped it was dropped itself.
        var a = new FaceBox(0, 0, 10, 10, 0.9f);
        var b = new FaceBox(6, 0, 16, 10, 0.8f);
        var c = new FaceBox(12, 0, 22, 10, 0.7f);

        Assert.Equal([a, c], NonMaximumSuppression.Apply([c, b, a], 0.2f));
    }

    [Fact]
    public void Apply_KeepsTheFirstOfEqualScores()
    {
        var first = new FaceBox(0, 0, 10, 10, 0.8f);
        var second = new FaceBox(1, 0, 11, 10, 0.8f); // intersection 90, union 110, IoU 0.818

        Assert.Equal([first], NonMaximumSuppression.Apply([first, second], 0.3f));
        Assert.Equal([second], NonMaximumSuppression.Apply([second, first], 0.3f));
    }

    [Fact]
    public void Apply_ReturnsNothingForNoBoxes() => Assert.Empty(NonMaximumSuppression.Apply([], 0.3f));
}
