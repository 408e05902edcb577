using Fer.Faces.Finding;

namespace Fer.Inference.Faces;

/// <summary>Loads the face detector when the replica starts (a missing or damaged file stops the start with the reason,
/// rather than failing requests later), runs it once on every face lane so the first photos do not pay for its set-up, and says which
/// detector serves.</summary>
public sealed partial class FaceDetectionStartup(FaceLanes lanes, ILogger<FaceDetectionStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var finder = lanes.Finder;
        lanes.WarmUp();
        LogDetector(logger, finder.Detector.Name, finder.Detector.File.Sha256, finder.Options.MaxFaces, finder.Options.MinFaceSize);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Face detection: {Detector} (SHA-256 {Sha256} checked), at most {MaxFaces} faces an image, none smaller than {MinFaceSize} px")]
    private static partial void LogDetector(ILogger logger, string detector, string sha256, int maxFaces, int minFaceSize);
}
