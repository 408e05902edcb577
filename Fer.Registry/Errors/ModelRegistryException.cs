namespace Fer.Registry.Errors;

/// <summary>Base of every registry error; <see cref="Version"/> names the version concerned, where there is one.</summary>
public class ModelRegistryException(string message, string? version = null, Exception? innerException = null)
    : Exception(message, innerException)
{
    public string? Version { get; } = version;
}
