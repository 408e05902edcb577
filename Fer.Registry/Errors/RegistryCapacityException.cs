namespace Fer.Registry.Errors;

/// <summary>A publish was refused because the version would not fit in the server's memory: stored anyway, it would
/// be evicted (Redis with an eviction policy, memory-only Garnet) or refused half way (Redis with noeviction).</summary>
public sealed class RegistryCapacityException(string message) : ModelRegistryException(message);
