using System.Text.Json.Serialization;

namespace Fer.Inference.Contracts;

public sealed record OpenInferenceServerMetadata(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("extensions")] IReadOnlyList<string> Extensions);
