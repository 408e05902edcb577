namespace Fer.Contracts;

/// <summary>One class's row of the report; <see cref="RocAuc"/> is one-vs-rest, null when the split lacks positives or negatives.</summary>
public sealed record ClassMetrics(string Name, double Precision, double Recall, double F1, int Support, double? RocAuc);
