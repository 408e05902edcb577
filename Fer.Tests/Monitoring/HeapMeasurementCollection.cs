namespace Fer.Tests.Monitoring;

/// <summary>Tests that read the process's managed heap run alone, after the parallel tests: another test's allocations
/// would count as theirs (CI once saw 6.7 MB of some other test's heap in a bound of 1 MB).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasurementCollection
{
    public const string Name = "Heap measurements";
}
