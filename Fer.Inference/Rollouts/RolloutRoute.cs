namespace Fer.Inference.Rollouts;

/// <summary>Which model a request meets during a rollout.</summary>
public enum RolloutRoute
{
    /// <summary>Production alone (no rollout, the candidate is not loaded, or the request falls outside the share).</summary>
    Production,

    /// <summary>The candidate answers.</summary>
    Canary,

    /// <summary>Production answers; the candidate sees the same faces and its answers are compared, never returned.</summary>
    Shadow,
}
