using System.Text.Json.Serialization;

namespace Fer.Inference.Model;

public sealed record OpenInferenceRequestedOutput([property: JsonPropertyName("name")] string? Name);
