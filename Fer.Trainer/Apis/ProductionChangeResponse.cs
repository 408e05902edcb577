namespace Fer.Trainer.Apis;

/// <summary>The production pointer after a promotion or rollback; <see cref="Changed"/> is false when the version
/// already was production.</summary>
public sealed record ProductionChangeResponse(string Production, string? Previous, bool Changed, string Kind);
