using System.Text.Json;
using Fer.Contracts;
using Fer.Imaging;

namespace Fer.Tests.Contracts;

public sealed class ModelInputTests
{
    [Fact]
    public void FerCrops_IsFloat32_N1x48x48_InZeroToOne()
    {
        var input = ModelInput.FerCrops;
        Assert.Equal(OnnxNames.Input, input.Name);
        Assert.Equal("float32", input.ElementType);
        Assert.Equal([OnnxNames.BatchDimension, "1", "48", "48"], input.Shape);
        Assert.Equal([1L, 48, 48], input.SampleShape());
        Assert.Equal((0.0, 1.0), (input.Min, input.Max));
        // The decoder's crop is the model's input, by construction.
        Assert.Equal(ModelInput.CropSize, FaceImage.Size);
    }

    [Fact]
    public void FerCrops_RoundTripsThroughItsMetadataJson()
    {
        var json = JsonSerializer.Serialize(ModelInput.FerCrops, JsonSerializerOptions.Web);
        Assert.Contains("\"elementType\":\"float32\"", json, StringComparison.Ordinal);
        var read = JsonSerializer.Deserialize<ModelInput>(json, JsonSerializerOptions.Web)!;
        Assert.Equal(ModelInput.FerCrops.Shape, read.Shape);
        Assert.Equal(ModelInput.FerCrops with { Shape = read.Shape }, read);
    }

    [Fact]
    public void SampleShape_Refuses_ASymbolicDimensionAfterTheBatch()
    {
        var input = ModelInput.FerCrops with { Shape = ["N", "1", "H", "48"] };
        var error = Assert.Throws<InvalidOperationException>(() => input.SampleShape());
        Assert.Contains("'H'", error.Message, StringComparison.Ordinal);
    }
}
