using System.Text.Json;
using Fer.Imaging;
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
    public const string ProbabilitiesOutput = "probabilities";
    public const string LogitsOutput = "logits";

    public static readonly long[] SampleShape = [1, FaceImage.Size, FaceImage.Size];

    public bool HasLogits => OutputNames.Contains(LogitsOutput);

    /// <summary>Checks the session against the contract; <paramref name="version"/> wins over the file's own when given.</summary>
    public static ModelDescription Read(InferenceSession session, string? version, string sha256)
    {
        if (session.InputMetadata.Count != 1)
            throw Contract($"the model has {session.InputMetadata.Count} inputs; exactly one ([N,1,48,48] float32) is expected");
        var (inputName, input) = session.InputMetadata.First();
        if (input.ElementDataType != TensorElementType.Float)
            throw Contract($"input '{inputName}' is {input.ElementDataType}, expected float32");
        var dims = input.Dimensions;
        if (dims.Length != 4 || dims[1] != 1 || dims[2] != FaceImage.Size || dims[3] != FaceImage.Size)
            throw Contract($"input '{inputName}' has shape [{string.Join(",", dims)}], expected [N,1,{FaceImage.Size},{FaceImage.Size}]");

        if (!session.OutputMetadata.TryGetValue(ProbabilitiesOutput, out var probabilities))
            throw Contract($"the model has no '{ProbabilitiesOutput}' output (it has {string.Join(", ", session.OutputMetadata.Keys)})");
        if (probabilities.ElementDataType != TensorElementType.Float || probabilities.Dimensions.Length != 2)
            throw Contract($"output '{ProbabilitiesOutput}' must be float32 [N, classes]");

        var metadata = session.ModelMetadata.CustomMetadataMap;
        var labels = ReadLabels(metadata);
        var classes = probabilities.Dimensions[1];
        if (classes > 0 && classes != labels.Length)
            throw Contract($"output '{ProbabilitiesOutput}' has {classes} classes but the metadata names {labels.Length} labels");

        var fileVersion = metadata.GetValueOrDefault(ModelMetadataKeys.Version);
        var resolved = version ?? fileVersion
            ?? throw Contract($"the model has no '{ModelMetadataKeys.Version}' metadata and its source gave no version");
        string[] outputs = session.OutputMetadata.ContainsKey(LogitsOutput) ? [ProbabilitiesOutput, LogitsOutput] : [ProbabilitiesOutput];
        return new ModelDescription(resolved, labels, inputName, outputs, sha256, new Dictionary<string, string>(metadata));
    }

    private static string[] ReadLabels(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(ModelMetadataKeys.Labels, out var text))
            throw Contract($"the model has no '{ModelMetadataKeys.Labels}' metadata (a JSON array of class names)");
        try
        {
            var labels = JsonSerializer.Deserialize<string[]>(text);
            if (labels is null || labels.Length == 0 || labels.Any(string.IsNullOrWhiteSpace))
                throw Contract($"metadata '{ModelMetadataKeys.Labels}' must be a non-empty array of names, not {text}");
            return labels;
        }
        catch (JsonException e)
        {
            throw Contract($"metadata '{ModelMetadataKeys.Labels}' is not a JSON array of strings: {e.Message}");
        }
    }

    private static ModelLoadException Contract(string message) => new("contract", message);
}
