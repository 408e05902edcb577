using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Fer.Inference.Feedback;

/// <summary>
/// The answered faces this replica remembers for feedback: at most <see cref="FeedbackWindowOptions.MaxPending"/>, none
/// older than <see cref="FeedbackWindowOptions.Window"/>, in memory only. A prediction id names the replica that holds
/// the face (<see cref="Replica"/>, the part before the dash), so any replica can pass a label on to the right one.
/// </summary>
public sealed class FeedbackWindow(IOptions<FeedbackWindowOptions> options, TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, PendingPrediction> byId = new(StringComparer.Ordinal);
    private readonly Queue<PendingPrediction> byAge = new();

    /// <summary>This process among the replicas (random: a restarted replica is another, and its faces are gone).</summary>
    public string Replica { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));

    public bool Enabled => options.Value.MaxPending > 0;

    public int Count
    {
        get
        {
            lock (gate) return byId.Count;
        }
    }

    /// <summary>The replica a prediction id names, or null when it is not one of ours.</summary>
    public static string? ReplicaOf(string id) => id.IndexOf('-') is > 0 and var dash ? id[..dash] : null;

    /// <summary>Remembers one answered face and returns its new id (null when feedback is switched off).</summary>
    public string? Remember(float[] crop, string emotion, IReadOnlyDictionary<string, float> probabilities, string modelVersion)
    {
        if (!Enabled) return null;
        var gray = new byte[crop.Length];
        for (var i = 0; i < gray.Length; i++) gray[i] = (byte)Math.Clamp(MathF.Round(crop[i] * 255f), 0, 255);
        var pending = new PendingPrediction($"{Replica}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}", gray, emotion,
            probabilities, modelVersion, time.GetTimestamp());
        lock (gate)
        {
            byId[pending.Id] = pending;
            byAge.Enqueue(pending);
            Forget();
        }
        return pending.Id;
    }

    /// <summary>The face behind an id, while it is remembered.</summary>
    public PendingPrediction? Find(string id)
    {
        lock (gate)
        {
            Forget();
            return byId.GetValueOrDefault(id);
        }
    }

    private void Forget()
    {
        var window = options.Value;
        while (byAge.TryPeek(out var oldest) && (byAge.Count > window.MaxPending || time.GetElapsedTime(oldest.AnsweredAt) > window.Window))
            byId.Remove(byAge.Dequeue().Id);
    }
}
