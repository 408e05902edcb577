namespace Fer.Tests.AppHost;

/// <summary>The whole-system tests share the machine's cores and run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AppHostSystemCollection
{
    public const string Name = "AppHost system";
}
