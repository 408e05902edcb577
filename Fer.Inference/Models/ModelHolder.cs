using System.Diagnostics.CodeAnalysis;
using Fer.Inference.Onnx;
using Fer.Inference.Telemetry;

namespace Fer.Inference.Models;

/// <summary>The model in service. Swapping is one atomic exchange; the old model is released, and its session disposed
/// when the last batch that took a reference on it finishes.</summary>
public sealed class ModelHolder : IDisposable
{
    private OnnxModel? current;

    public const string ProductionRole = "production";
    public const string CandidateRole = "candidate";

    public ModelHolder(InferenceTelemetry telemetry) : this(telemetry, ProductionRole)
    {
    }

    /// <param name="role">What the model held is for: <see cref="ProductionRole"/> or <see cref="CandidateRole"/> (a tag of its gauge).</param>
    public ModelHolder(InferenceTelemetry telemetry, string role)
    {
        Role = role;
        telemetry.ObserveModelVersion(role, () => Current?.Version);
    }

    public string Role { get; }

    public OnnxModel? Current => Volatile.Read(ref current);

    /// <summary>Takes a reference on the model in service for one run; the caller must <see cref="OnnxModel.Release"/> it.</summary>
    public bool TryAcquire([NotNullWhen(true)] out OnnxModel? model)
    {
        while (true)
        {
            model = Current;
            if (model is null) return false;
            if (model.TryAddReference()) return true;
            // Released between the read and the reference: a newer model is already in place, read again.
        }
    }

    /// <summary>Puts <paramref name="next"/> into service and returns the model it replaced (already released).</summary>
    public OnnxModel? Swap(OnnxModel next)
    {
        var previous = Interlocked.Exchange(ref current, next);
        previous?.Release();
        return previous;
    }

    /// <summary>Takes the model out of service (a candidate whose rollout ended); it is released as on a swap.</summary>
    public OnnxModel? Clear()
    {
        var previous = Interlocked.Exchange(ref current, null);
        previous?.Release();
        return previous;
    }

    public void Dispose() => Clear();
}
