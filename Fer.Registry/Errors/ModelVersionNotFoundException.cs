namespace Fer.Registry.Errors;

/// <summary>The version does not exist (never published, still being written, or removed by retention).</summary>
public sealed class ModelVersionNotFoundException(string version)
    : ModelRegistryException(Describe(version), version)
{
    private static string Describe(string version) => VersionIds.IsValid(version)
        ? $"model version '{version}' does not exist in the registry"
        : $"model version '{version}' does not exist in the registry (version ids look like 'v0001-k3x7qa')";
}
