namespace Fer.Trainer.Rollouts;

/// <summary>What the gates say about a rollout now.</summary>
public enum GateVerdict
{
    /// <summary>Keep the step: every gate holds, and there is not enough evidence yet to go on.</summary>
    Hold,

    /// <summary>Every gate holds on enough evidence: the next step.</summary>
    Advance,

    /// <summary>Every gate held on enough evidence at the last step: make the candidate production.</summary>
    Promote,

    /// <summary>A gate failed (or the step ran out of time without enough evidence): production stays.</summary>
    RollBack,
}
