namespace Fer.AppHost.Telemetry;

/// <summary>Who sent a piece of telemetry: the OTLP resource's service.name and service.instance.id, and the scope.</summary>
public sealed record TelemetrySource(string Service, string? Instance, string Scope);
