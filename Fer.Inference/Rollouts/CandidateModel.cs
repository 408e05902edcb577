using Fer.Inference.Batching;
using Fer.Inference.Models;
using Fer.Registry.Rollouts;

namespace Fer.Inference.Rollouts;

/// <summary>
/// The version in rollout as this replica holds it: its model (hot-swapped like production's, in a holder of its own),
/// a batcher of its own (a batch runs one model), and the rollout it serves. Requests are routed to it only while its
/// model is the rollout's candidate.
/// </summary>
public sealed class CandidateModel(ModelHolder holder, InferenceBatcher batcher) : IDisposable
{
    private volatile RolloutTarget? target;
    private volatile CandidateRefusal? refusal;

    public ModelHolder Holder => holder;

    public InferenceBatcher Batcher => batcher;

    /// <summary>The rollout served now; null while none is, or while its candidate is not loaded here.</summary>
    public RolloutTarget? Target => target;

    /// <summary>The rollout whose candidate this replica could not load (production alone answers); null otherwise.</summary>
    public CandidateRefusal? Refusal => refusal;

    public void Serve(RolloutTarget? next)
    {
        refusal = null;
        target = next;
    }

    /// <summary>Serves no candidate and says why: <paramref name="wanted"/>'s model could not be loaded here.</summary>
    public void Refuse(RolloutTarget wanted, string reason)
    {
        target = null;
        refusal = new CandidateRefusal(wanted, reason);
    }

    /// <summary>Which model the request with this id meets.</summary>
    public RolloutRoute Route(string requestId)
    {
        var current = target;
        if (current is null || holder.Current?.SourceKey != current.CandidateKey) return RolloutRoute.Production;
        if (RequestSampling.Position(current.RolloutId, requestId) >= current.Share) return RolloutRoute.Production;
        return current.Mode == RolloutMode.Canary ? RolloutRoute.Canary : RolloutRoute.Shadow;
    }

    public void Dispose()
    {
        batcher.Dispose();
        holder.Dispose();
    }
}
