using Fer.Contracts;

namespace Fer.Tests.Contracts;

public sealed class EmotionLabelsTests
{
    [Fact]
    public void Names_AreTheFer2013CodesZeroToSix_InOrder()
    {
        // Written out here on purpose: the order is the model's output order, and changing it breaks every model.
        Assert.Equal(["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"], EmotionLabels.Names);
        Assert.Equal(7, EmotionLabels.Count);
    }

    [Theory]
    [InlineData("angry", 0)]
    [InlineData("Happy", 3)]
    [InlineData("NEUTRAL", 6)]
    public void TryParse_FindsTheIndex_IgnoringCase(string name, int expected)
    {
        Assert.True(EmotionLabels.TryParse(name, out var index));
        Assert.Equal(expected, index);
    }

    [Theory]
    [InlineData("contempt")]
    [InlineData("")]
    public void TryParse_Refuses_ANameThatIsNotAClass(string name)
    {
        Assert.False(EmotionLabels.TryParse(name, out var index));
        Assert.Equal(-1, index);
    }
}
