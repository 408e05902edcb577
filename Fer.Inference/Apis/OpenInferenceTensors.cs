using System.Text.Json;
using Fer.Contracts;
using Fer.Imaging;
using Fer.Inference.Contracts;

namespace Fer.Inference.Apis;

/// <summary>Reads the one FP32 [N, 1, 48, 48] input tensor of a v2 request into N canonical face crops.</summary>
internal static class OpenInferenceTensors
{
    public const string InputName = OnnxNames.Input;
    public const string Datatype = "FP32";

    public static float[][] ReadCrops(OpenInferenceRequest request, int maxImages)
    {
        if (request.Inputs is not [var input])
            throw Bad($"the request must have exactly one input ('{InputName}'), not {request.Inputs?.Count ?? 0}");
        if (input.Name != InputName) throw Bad($"the input is named '{input.Name}'; this model's input is '{InputName}'");
        if (!string.Equals(input.Datatype, Datatype, StringComparison.Ordinal))
            throw Bad($"input '{InputName}' has datatype '{input.Datatype}'; it must be '{Datatype}'");
        if (input.Shape is not [var n, 1, FaceImage.Size, FaceImage.Size] || n < 1)
            throw Bad($"input '{InputName}' has shape [{string.Join(",", input.Shape ?? [])}]; it must be [N,1,{FaceImage.Size},{FaceImage.Size}] with N >= 1");
        if (n > maxImages)
            throw new RequestProblemException(StatusCodes.Status413PayloadTooLarge, "Too many images",
                $"a request may carry at most {maxImages} images (Inference:MaxImagesPerRequest), not {n}");

        var values = new float[n * FaceImage.PixelCount];
        var count = 0;
        Flatten(input.Data, values, ref count);
        if (count != values.Length)
            throw Bad($"input '{InputName}' has {count} values; shape [{n},1,{FaceImage.Size},{FaceImage.Size}] needs {values.Length}");

        var crops = new float[n][];
        for (var i = 0; i < n; i++) crops[i] = values[(i * FaceImage.PixelCount)..((i + 1) * FaceImage.PixelCount)];
        return crops;
    }

    private static void Flatten(JsonElement element, float[] values, ref int count)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Flatten(item, values, ref count);
                break;
            case JsonValueKind.Number:
                if (count >= values.Length)
                {
                    count++; // too many: counted and reported after the walk
                    return;
                }
                var value = element.GetSingle();
                if (!float.IsFinite(value) || value < 0 || value > 1)
                    throw Bad($"input '{InputName}' value {count} is {value}; pixel values are grayscale in [0, 1]");
                values[count++] = value;
                break;
            default:
                throw Bad($"input '{InputName}' data must hold numbers, found {element.ValueKind} at value {count}");
        }
    }

    private static RequestProblemException Bad(string detail) =>
        new(StatusCodes.Status400BadRequest, "Invalid inference request", detail);
}
