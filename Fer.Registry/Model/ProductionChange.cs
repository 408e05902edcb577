namespace Fer.Registry.Model;

/// <summary>One change of the production pointer: announced on the pub/sub channel and kept in the event log.</summary>
public sealed record ProductionChange(
    ProductionChangeKind Kind,
    string Version,
    string? PreviousVersion,
    string? Reason,
    DateTimeOffset At);
