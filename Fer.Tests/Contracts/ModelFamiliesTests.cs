using Fer.Contracts;

namespace Fer.Tests.Contracts;

public sealed class ModelFamiliesTests
{
    [Theory]
    [InlineData(ModelFamily.EfficientNetV2S, "efficientnet_v2_s")]
    [InlineData(ModelFamily.Cnn48, "cnn48")]
    public void EveryFamily_HasOneId_ThatParsesBack(ModelFamily family, string id)
    {
        Assert.Equal(id, ModelFamilies.Id(family));
        Assert.Contains(id, ModelFamilies.Ids);
        Assert.True(ModelFamilies.TryParse(id, out var parsed));
        Assert.Equal(family, parsed);
        Assert.True(ModelFamilies.IsKnown(id));
    }

    [Fact]
    public void AnotherName_IsNotAFamily() => Assert.False(ModelFamilies.IsKnown("resnet50"));

    [Fact]
    public void InJson_AFamilyIsItsId() =>
        Assert.Equal("\"cnn48\"", System.Text.Json.JsonSerializer.Serialize(ModelFamily.Cnn48));
}
