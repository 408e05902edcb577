using System.Text.Json;
using Fer.Contracts;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Fer.Inference.Onnx;

/// <summary>What a loaded model is and how to call it, read from the file itself and checked against the contract:
/// one float32 input [N, 1, 48, 48], a float32 <c>probabilities</c> output [N, classes] (and usually <c>logits</c>),
/// and a <c>labels</c> metadata entry naming the classes in order.</summary>
public sealed record ModelDescription(
    string Version,
    IReadOnlyList<string> Labels,
    string InputName,
    IReadOnlyList<string> OutputNames,
    string Sha256,
    IReadOnlyDictionary<string, string> Metadata)
{
    public static readonly long[] SampleShape = ModelInput.FerCrops.SampleShape();

    public bool HasLogits => OutputNames.Contains(OnnxNames.Logits);

    /// <summary>The model family the file names (<see cref="ModelFamilies"/>), or null for a file that names none.</summary>
    public string? Family => Metadata.GetValueOrDefault(OnnxMetadataKeys.Family) ?? Metadata.GetValueOrDefault(OnnxMetadataKeys.Backbone);

    /// <summary>Checks the session against the contract; <paramref name="version"/> wins over the file's own when given.</summary>
    public static ModelDescription Read(InferenceSession session, string? version, string sha256)
    {
        if (session.InputMetadata.Count != 1)
            throw Contract($"the model has {session.InputMetadata.Count} inputs; exactly one ([N,1,48,48] float32) is expected");
        var (inputName, input) = session.InputMetadata.First();
        if (input.ElementDataType != TensorElementType.Float)
            throw Contract($"input '{inputName}' is {input.ElementDataType}, expected float32");
        var dims = input.Dimensions;
        if (dims.Length != 4 || !dims.Skip(1).Select(d => (long)d).SequenceEqual(SampleShape))
            throw Contract($"input '{inputName}' has shape [{string.Join(",", dims)}], expected [{string.Join(",", ModelInput.FerCrops.Shape)}]");

        if (!session.OutputMetadata.TryGetValue(OnnxNames.Probabilities, out var probabilities))
            throw Contract($"the model has no '{OnnxNames.Probabilities}' output (it has {string.Join(", ", session.OutputMetadata.Keys)})");
        if (probabilities.ElementDataType != TensorElementType.Float || probabilities.Dimensions.Length != 2)
            throw Contract($"output '{OnnxNames.Probabilities}' must be float32 [N, classes]");

        var metadata = session.ModelMetadata.CustomMetadataMap;
        var labels = ReadLabels(metadata);
        var classes = probabilities.Dimensions[1];
        if (classes > 0 && classes != labels.Length)
            throw Contract($"output '{OnnxNames.Probabilities}' has {classes} classes but the metadata names {labels.Length} labels");

        var fileVersion = metadata.GetValueOrDefault(OnnxMetadataKeys.Version);
        var resolved = version ?? fileVersion
            ?? throw Contract($"the model has no '{OnnxMetadataKeys.Version}' metadata and its source gave no version");
        string[] outputs = session.OutputMetadata.ContainsKey(OnnxNames.Logits) ? [OnnxNames.Probabilities, OnnxNames.Logits] : [OnnxNames.Probabilities];
        return new ModelDescription(resolved, labels, inputName, outputs, sha256, new Dictionary<string, string>(metadata));
    }

    private static string[] ReadLabels(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(OnnxMetadataKeys.Labels, out var text))
            throw Contract($"the model has no '{OnnxMetadataKeys.Labels}' metadata (a JSON array of class names)");
        try
        {
            var labels = JsonSerializer.Deserialize<string[]>(text);
            if (labels is null || labels.Length == 0 || labels.Any(string.IsNullOrWhiteSpace))
                throw Contract($"metadata '{OnnxMetadataKeys.Labels}' must be a non-empty array of names, not {text}");
            return labels;
        }
        catch (JsonException e)
        {
            throw Contract($"metadata '{OnnxMetadataKeys.Labels}' is not a JSON array of strings: {e.Message}");
        }
    }

    private static ModelLoadException Contract(string message) => new("contract", message);
}
