namespace Fer.Inference.Telemetry;

/// <summary>Tag and span names shared by the spans and instruments.</summary>
public static class TelemetryTags
{
    public const string Outcome = "outcome";
    public const string Emotion = "emotion";
    public const string ModelVersion = "model.version";
    public const string BatchSize = "batch.size";
    public const string Reason = "reason";
    public const string ImageCount = "image.count";
    public const string Role = "model.role";
    public const string FaceCount = "face.count";
    public const string FaceMode = "face.mode";

    public const string FindFacesSpan = "find faces";
    public const string QueueWaitSpan = "queue wait";
    public const string BatchRunSpan = "batch run";
    public const string ModelLoadSpan = "model load";
}
