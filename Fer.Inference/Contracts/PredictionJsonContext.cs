using System.Text.Json.Serialization;

namespace Fer.Inference.Contracts;

/// <summary>Serialization code generated at build time for /predict's answers (the hot path); every other type keeps
/// the reflection-based serializer. Names follow the HTTP JSON options it is chained into (camelCase).</summary>
[JsonSerializable(typeof(PredictionResponse))]
[JsonSerializable(typeof(PredictionResponse[]))]
internal sealed partial class PredictionJsonContext : JsonSerializerContext;
