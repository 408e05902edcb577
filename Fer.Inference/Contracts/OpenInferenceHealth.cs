using System.Text.Json.Serialization;

namespace Fer.Inference.Contracts;

/// <summary>Body of the v2 health and model-ready answers.</summary>
public sealed record OpenInferenceHealth(
    [property: JsonPropertyName("live"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Live,
    [property: JsonPropertyName("ready"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Ready);
