using System.Text.Json.Serialization;

namespace Fer.Inference.Contracts;

public sealed record OpenInferenceOutput(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("shape")] long[] Shape,
    [property: JsonPropertyName("datatype")] string Datatype,
    [property: JsonPropertyName("data")] float[] Data);
