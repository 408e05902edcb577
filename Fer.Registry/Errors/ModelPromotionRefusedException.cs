namespace Fer.Registry.Errors;

/// <summary>The version exists but is incomplete or damaged (a chunk missing or of the wrong length, or its SHA-256
/// does not hold), so promotion left the production pointer where it was.</summary>
public sealed class ModelPromotionRefusedException(string version, ModelIntegrityException reason)
    : ModelRegistryException($"model version '{version}' was not promoted: {reason.Message}", version, reason);
