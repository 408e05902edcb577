namespace Fer.Benchmarks;

/// <summary>A change of a 48x48 gray face that no test replays and nothing was tuned on (<see cref="UntestedShifts"/>);
/// <paramref name="Apply"/> takes the face and a seed for the shifts that draw at random.</summary>
public sealed record UntestedShift(string Name, Func<byte[], int, byte[]> Apply);
