using System.Text.Json.Serialization;

namespace Fer.Inference.Contracts;

public sealed record OpenInferenceRequestedOutput([property: JsonPropertyName("name")] string? Name);
