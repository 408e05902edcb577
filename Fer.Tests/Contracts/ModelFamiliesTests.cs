using Fer.Contracts;

namespace Fer.Tests.Contracts;

public sealed class ModelFamiliesTests
{
    [Fact]
    public void EveryFamily_IsKnown_AndOthersAreNot()
    {
        Assert.Contains(ModelFamilies.EfficientNetV2S, ModelFamilies.All);
        Assert.All(ModelFamilies.All, family => Assert.True(ModelFamilies.IsKnown(family)));
        Assert.False(ModelFamilies.IsKnown("resnet50"));
        Assert.False(ModelFamilies.IsKnown("EFFICIENTNET_V2_S"));
    }
}
