using Fer.Registry.Errors;

namespace Fer.Registry.Rollouts;

/// <summary>The rollout cannot start or change: another one is running, it already ended, or it is not the one meant.</summary>
public sealed class RolloutConflictException(string message, string? version = null) : ModelRegistryException(message, version);
