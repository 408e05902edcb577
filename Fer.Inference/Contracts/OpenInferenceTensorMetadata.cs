using System.Text.Json.Serialization;

namespace Fer.Inference.Contracts;

/// <summary>A tensor in model metadata; -1 marks the variable batch dimension.</summary>
public sealed record OpenInferenceTensorMetadata(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("datatype")] string Datatype,
    [property: JsonPropertyName("shape")] long[] Shape);
