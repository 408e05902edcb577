namespace Fer.Registry.Errors;

/// <summary>There is no earlier production version to roll back to.</summary>
public sealed class RollbackUnavailableException(string? currentProduction, string reason)
    : ModelRegistryException(reason, currentProduction)
{
    public string? CurrentProduction { get; } = currentProduction;
}
