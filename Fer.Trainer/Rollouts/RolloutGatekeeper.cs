using System.Globalization;
using Fer.Registry.Rollouts;

namespace Fer.Trainer.Rollouts;

/// <summary>
/// The rollout's gates, as a pure function of the rollout, the evidence every replica reported for its current step,
/// the two versions' offline macro-F1 and the time. A gate fails at once when the evidence is sure of it (after
/// <see cref="MinGateSamples"/> samples, the error rate's and the agreement's whole 99 % interval on the wrong side, so
/// that a few unlucky requests cannot decide); the step passes once the candidate has seen the step's requests with
/// every gate holding on the shares themselves; a step that runs out of time without them rolls back, since nothing
/// says the candidate is safe.
/// </summary>
public static class RolloutGatekeeper
{
    /// <summary>Samples (requests, or faces compared) a gate needs before it may fail.</summary>
    public const int MinGateSamples = 20;

    /// <summary>Answered requests of each version the latency gate needs: its p95 then rests on the five slowest of a
    /// hundred, not on one or two first runs of a freshly loaded model.</summary>
    public const int MinLatencySamples = 100;

    /// <summary>The latency gate also needs the candidate this much slower at p95: below it, a ratio of two tiny times is
    /// the machine's noise (a 2-core machine moves a 2 ms model run to 5 ms now and then), not the model.</summary>
    public static readonly TimeSpan MinLatencyGap = TimeSpan.FromMilliseconds(5);

    public static GateDecision Decide(Rollout rollout, IReadOnlyDictionary<string, VersionEvidence> evidence,
        double? candidateMacroF1, double? productionMacroF1, DateTimeOffset now)
    {
        var gates = rollout.Gates;
        if (candidateMacroF1 is { } c && productionMacroF1 is { } p && c < p - gates.MacroF1Margin)
            return RollBack($"offline validation macro-F1 {F(c)} is below production's {F(p)} by more than {F(gates.MacroF1Margin)}");

        evidence.TryGetValue(rollout.Candidate, out var candidate);
        evidence.TryGetValue(rollout.Baseline, out var production);
        if (candidate?.Refused is { } refused)
            return RollBack($"a replica refused to load it ({refused})");
        if (candidate is not null)
        {
            if (candidate.Requests >= MinGateSamples && TooManyErrors(candidate, production, gates, WilsonInterval.Lower(candidate.Errors, candidate.Requests)))
                return RollBack(ErrorReason(candidate, production, gates));
            if (LatencyReference(rollout, candidate, production) is (double fast, string on) && Answered(candidate) >= MinLatencySamples
                && candidate.Latency(0.95) is { } slow && slow > gates.LatencyRatio * fast && slow - fast > MinLatencyGap.TotalSeconds)
                return RollBack($"p95 model run time {Ms(slow)} is more than {F(gates.LatencyRatio)} x production's {Ms(fast)}{on}");
            if (rollout.Mode == RolloutMode.Shadow && candidate.ComparedFaces >= MinGateSamples
                && WilsonInterval.Upper(candidate.AgreedFaces, candidate.ComparedFaces) < gates.MinAgreement)
                return RollBack(AgreementReason(candidate, gates));
        }

        var seen = candidate?.Requests ?? 0;
        var step = rollout.Current;
        if (seen >= step.MinRequests)
        {
            // At the step's end the shares themselves must hold, not only their intervals.
            if (candidate is not null && TooManyErrors(candidate, production, gates, candidate.ErrorRate))
                return RollBack(ErrorReason(candidate, production, gates) + " at the step's end");
            if (rollout.Mode == RolloutMode.Shadow && candidate?.Agreement is { } agreement && agreement < gates.MinAgreement)
                return RollBack(AgreementReason(candidate, gates) + " at the step's end");
            return rollout.IsLastStep
                ? new GateDecision(GateVerdict.Promote, $"every gate held over {seen} requests at the last step ({Describe(rollout)})")
                : new GateDecision(GateVerdict.Advance, $"every gate held over {seen} requests ({Describe(rollout)})");
        }
        if (now - rollout.StepStartedAt > step.MaxDuration)
            return RollBack($"the step ({Describe(rollout)}) ran {step.MaxDuration} with {seen} of the {step.MinRequests} requests it needs: not enough evidence");
        return new GateDecision(GateVerdict.Hold, $"{seen} of {step.MinRequests} requests ({Describe(rollout)})");
    }

    private static long Answered(VersionEvidence evidence) => evidence.LatencyBuckets.Sum();

    /// <summary>Production's p95 model run time to hold the candidate's against, once there are enough samples of it, and
    /// what it was measured on. In shadow, production's runs on the same requests made alike (one request alone, right
    /// after the candidate's): the candidate's shadow runs are single requests in production's spare moments, production's
    /// own are batches under load, which would favour the candidate. Otherwise (canary, or replicas that report no such
    /// runs) production's own requests.</summary>
    private static (double P95, string On)? LatencyReference(Rollout rollout, VersionEvidence candidate, VersionEvidence? production)
    {
        if (rollout.Mode == RolloutMode.Shadow && candidate.BaselineLatencyBuckets is { } alike)
            return alike.Sum() >= MinLatencySamples && candidate.BaselineLatency(0.95) is { } p95 ? (p95, " on the same requests") : null;
        return production is not null && Answered(production) >= MinLatencySamples && production.Latency(0.95) is { } own ? (own, "") : null;
    }

    private static bool TooManyErrors(VersionEvidence candidate, VersionEvidence? production, RolloutGates gates, double rate) =>
        rate > (production?.ErrorRate ?? 0) + gates.ErrorRateMargin;

    private static string ErrorReason(VersionEvidence candidate, VersionEvidence? production, RolloutGates gates) =>
        $"error rate {F(candidate.ErrorRate)} over {candidate.Requests} requests exceeds production's {F(production?.ErrorRate ?? 0)} by more than {F(gates.ErrorRateMargin)}";

    private static string AgreementReason(VersionEvidence candidate, RolloutGates gates) =>
        $"agreement with production {F(candidate.Agreement!.Value)} over {candidate.ComparedFaces} faces is below {F(gates.MinAgreement)}";

    private static string Describe(Rollout rollout) =>
        string.Create(CultureInfo.InvariantCulture, $"{rollout.Mode.ToString().ToLowerInvariant()} {rollout.Share:P0}");

    private static GateDecision RollBack(string reason) => new(GateVerdict.RollBack, reason);

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Ms(double seconds) => (seconds * 1000).ToString("0.#", CultureInfo.InvariantCulture) + " ms";
}
