using System.Text.Json.Serialization;

namespace Fer.Inference.Contracts;

/// <summary>KServe v2 / Open Inference Protocol inference request (JSON).</summary>
public sealed record OpenInferenceRequest(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("inputs")] IReadOnlyList<OpenInferenceInput>? Inputs,
    [property: JsonPropertyName("outputs")] IReadOnlyList<OpenInferenceRequestedOutput>? Outputs);
