using System.Text.Json.Serialization;

namespace Fer.Inference.Contracts;

/// <summary>KServe v2 model metadata, plus the labels of the classes (a documented extension field).</summary>
public sealed record OpenInferenceModelMetadata(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("versions")] IReadOnlyList<string> Versions,
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("inputs")] IReadOnlyList<OpenInferenceTensorMetadata> Inputs,
    [property: JsonPropertyName("outputs")] IReadOnlyList<OpenInferenceTensorMetadata> Outputs,
    [property: JsonPropertyName("labels")] IReadOnlyList<string> Labels);
