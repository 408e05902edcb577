using System.Text.Json.Serialization;

namespace Fer.Registry.Feedback;

/// <summary>Source-generated JSON for the feedback records kept in Redis and passed between replicas.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(FeedbackEntry))]
[JsonSerializable(typeof(FeedbackRelayMessage))]
public sealed partial class FeedbackJsonContext : JsonSerializerContext;
