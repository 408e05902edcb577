using Fer.Imaging;
using Fer.Registry.Feedback;
using StackExchange.Redis;

namespace Fer.Inference.Feedback;

/// <summary>Keeps a label for a face this replica answered: the remembered crop (as a PNG), the label, the version that
/// answered and its probabilities go to the feedback store. The store is resolved at the first label, so a replica that
/// never gets one never opens Redis for it.</summary>
public sealed class FeedbackRecorder(FeedbackWindow window, IServiceProvider services, TimeProvider time)
{
    public async Task<FeedbackResult> RecordAsync(string id, string emotion)
    {
        if (window.Find(id) is not { } pending) return new FeedbackResult(FeedbackOutcome.Unknown);
        var pixels = new float[pending.Crop.Length];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = pending.Crop[i] / 255f;
        var png = new FaceImage(pixels, FaceImage.Size, FaceImage.Size).ToPng();
        var entry = new FeedbackEntry(id, emotion, pending.Emotion, pending.ModelVersion, pending.Probabilities, png, time.GetUtcNow());
        try
        {
            var count = await services.GetRequiredService<FeedbackStore>().AddAsync(entry);
            return new FeedbackResult(FeedbackOutcome.Stored, pending.ModelVersion, pending.Emotion, count);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return new FeedbackResult(FeedbackOutcome.Unavailable);
        }
    }
}
