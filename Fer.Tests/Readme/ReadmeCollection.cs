namespace Fer.Tests.Readme;

/// <summary>The README's commands build with `dotnet run`: they run alone, after the parallel tests, so no other test's
/// build or CPU load meets theirs.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReadmeCollection
{
    public const string Name = "README commands";
}
