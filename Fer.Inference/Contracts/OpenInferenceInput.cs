using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fer.Inference.Contracts;

/// <summary>One input tensor; <c>data</c> is row-major, flat or nested.</summary>
public sealed record OpenInferenceInput(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("shape")] long[]? Shape,
    [property: JsonPropertyName("datatype")] string? Datatype,
    [property: JsonPropertyName("data")] JsonElement Data);
