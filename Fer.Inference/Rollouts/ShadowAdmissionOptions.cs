using System.ComponentModel.DataAnnotations;

namespace Fer.Inference.Rollouts;

/// <summary>How much of the replica shadow work may take (configuration section <c>Inference:Shadow</c>), checked at
/// start from the data annotations below; each message names its key. See <see cref="ShadowAdmission"/>.</summary>
public sealed class ShadowAdmissionOptions
{
    public const string SectionName = "Inference:Shadow";
    private const string Key = SectionName + ":";

    /// <summary>The share of the cores' time shadow runs may take while production is busy: the budget refills at this
    /// share of (cores x wall time), holds at most one second of refill, and each shadow request's measured wall time is
    /// taken from it. 0.03 by default: 60 ms a second on 2 cores (about 20 shadowed requests a second at concurrency 8 on a quiet
    /// machine, within the noise of production's p99: docs/rollout.md).</summary>
    [Range(0.0, 1.0, ErrorMessage = Key + nameof(CpuShare) + " must be from {1} to {2}")]
    public double CpuShare { get; set; } = 0.03;

    /// <summary>Below this utilisation of production's batch lanes (their busy time over the last second, 0 to 1) shadow
    /// work is admitted without taking from the budget: production has the cores to spare. 0.2 by default, below the 25-55 %
    /// production's lanes were mostly busy at concurrency 8 on 2 cores (where HTTP and decoding take the rest of the cores).</summary>
    [Range(0.0, 1.0, ErrorMessage = Key + nameof(IdleBelow) + " must be from {1} to {2}")]
    public double IdleBelow { get; set; } = 0.2;

    /// <summary>Shadowed requests that may run at once; one by default, so shadow work takes at most one core of the
    /// candidate's lanes and never a batch's worth of production's time at a stroke.</summary>
    [Range(1, 1024, ErrorMessage = Key + nameof(MaxInFlight) + " must be {1} to {2}")]
    public int MaxInFlight { get; set; } = 1;
}
