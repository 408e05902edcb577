using System.Text.Json.Serialization;

namespace Fer.Contracts;

/// <summary>The network families behind the one model contract (float32 [N,1,48,48] in [0,1] -> one logit per class).
/// In JSON and in the ONNX metadata a family goes by its id (<see cref="ModelFamilies"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelFamily>))]
public enum ModelFamily
{
    /// <summary>torchvision's EfficientNetV2-S with the seed's head, at backbone size S: for the ImageNet file or a GPU.</summary>
    [JsonStringEnumMemberName(ModelFamilies.EfficientNetV2SId)]
    EfficientNetV2S,

    /// <summary>Cnn48: a plain convolutional network at FER's native 48 px, made to train on a CPU.</summary>
    [JsonStringEnumMemberName(ModelFamilies.Cnn48Id)]
    Cnn48,
}
