using System.Text.Json.Serialization;

namespace Fer.Inference.Contracts;

/// <summary>KServe v2 / Open Inference Protocol inference response.</summary>
public sealed record OpenInferenceResponse(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("model_version")] string ModelVersion,
    [property: JsonPropertyName("id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    [property: JsonPropertyName("outputs")] IReadOnlyList<OpenInferenceOutput> Outputs);
