namespace Fer.Inference.Monitoring;

/// <summary>The statistics each face contributes, by index into a window's arrays, and their names in metrics and JSON.</summary>
public static class DriftStatistic
{
    public const int Class = 0;
    public const int Confidence = 1;
    public const int Brightness = 2;
    public const int Contrast = 3;
    public const int Sharpness = 4;
    public const int FaceSize = 5;
    public const int DetectorScore = 6;

    public static IReadOnlyList<string> Names { get; } = ["class", "confidence", "brightness", "contrast", "sharpness", "face_size", "detector_score"];

    public static int Count => Names.Count;
}
