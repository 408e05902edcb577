using System.Text.Json.Serialization;

namespace Fer.Registry.Model;

/// <summary>Source-generated JSON for the records that travel through Redis (camelCase, enums as strings).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ProductionChange))]
[JsonSerializable(typeof(Rollouts.Rollout))]
[JsonSerializable(typeof(Rollouts.RolloutDecision))]
[JsonSerializable(typeof(List<Rollouts.VersionEvidence>))]
public sealed partial class RegistryJsonContext : JsonSerializerContext;
