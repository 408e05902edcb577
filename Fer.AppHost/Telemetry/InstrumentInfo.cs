namespace Fer.AppHost.Telemetry;

/// <summary>One instrument of one service, as listed by the dashboard.</summary>
public sealed record InstrumentInfo(string Service, string Scope, string Name, string Description, string Unit, string Type, int SeriesCount);
