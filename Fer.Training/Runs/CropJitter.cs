using System.Text.Json.Serialization;

namespace Fer.Training.Runs;

/// <summary>How full augmentation shifts and scales a face.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CropJitter>))]
public enum CropJitter
{
    /// <summary>Uniform ranges (augmentationSettings: ±10 % shift, 0.9-1.1 scale by default).</summary>
    [JsonStringEnumMemberName("uniform")]
    Uniform,

    /// <summary>The shipped face detector's measured framing error (Gaussian; <see cref="Data.FramingJitter.UltraFaceRfb640"/>).</summary>
    [JsonStringEnumMemberName("detector")]
    Detector,
}
