using System.Text.Json.Serialization;

namespace Fer.Training.Runs;

/// <summary>How the network starts and which parts each phase trains.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrainingRecipe>))]
public enum TrainingRecipe
{
    /// <summary>The seed's: ImageNet weights (<c>--weights</c>), phase 1 trains the head on a frozen backbone, phase 2
    /// fine-tunes the last 30 parameter tensors.</summary>
    [JsonStringEnumMemberName("transfer")]
    Transfer,

    /// <summary>No pretrained weights: both phases train every layer (phase 2 at a tenth of phase 1's learning rate).</summary>
    [JsonStringEnumMemberName("scratch")]
    Scratch,
}
