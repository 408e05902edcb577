namespace Fer.Tests.AppHost;

/// <summary>Whole-system tests run one AppHost at a time, and alone: each starts five processes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AppHostSystemCollection
{
    public const string Name = "AppHost whole system";
}
