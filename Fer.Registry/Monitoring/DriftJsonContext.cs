using System.Text.Json.Serialization;

namespace Fer.Registry.Monitoring;

/// <summary>Source-generated JSON for the drift reports that travel through Redis (camelCase).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DriftReport))]
public sealed partial class DriftJsonContext : JsonSerializerContext;
