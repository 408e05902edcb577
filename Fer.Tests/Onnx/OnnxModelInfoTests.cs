using Fer.Contracts;
using Fer.Training.Onnx;

namespace Fer.Tests.Onnx;

public sealed class OnnxModelInfoTests
{
    [Fact]
    public void FromMetadata_RoundTripsEveryField()
    {
        var info = TestModels.Info(imageSize: 224);

        var read = OnnxModelInfo.FromMetadata(info.ToMetadata().ToDictionary());

        Assert.Equal(info.Labels, read.Labels);
        Assert.Equal(224, read.ImageSize);
        Assert.Equal(info.Metrics, read.Metrics);
        Assert.Equal(info.CreatedAt, read.CreatedAt);
        Assert.Equal(info.Input.SampleShape(), read.Input.SampleShape());
    }

    [Theory]
    [InlineData(OnnxMetadataKeys.Labels)]
    [InlineData(OnnxMetadataKeys.CreatedAt)]
    [InlineData(OnnxMetadataKeys.Schema)]
    public void FromMetadata_NamesAMissingKey(string key)
    {
        var metadata = TestModels.Info().ToMetadata().ToDictionary();
        metadata.Remove(key);

        var error = Assert.Throws<InvalidDataException>(() => OnnxModelInfo.FromMetadata(metadata));

        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromMetadata_NamesMalformedJson()
    {
        var metadata = TestModels.Info().ToMetadata().ToDictionary();
        metadata[OnnxMetadataKeys.Metrics] = "{accuracy: oops";

        var error = Assert.Throws<InvalidDataException>(() => OnnxModelInfo.FromMetadata(metadata));

        Assert.Contains($"'{OnnxMetadataKeys.Metrics}'", error.Message, StringComparison.Ordinal);
    }
}
