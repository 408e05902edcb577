namespace Fer.Registry.Errors;

/// <summary>A version's stored bytes or metadata are damaged; no bytes of it are handed out.</summary>
public class ModelIntegrityException(string message, string version) : ModelRegistryException(message, version);
