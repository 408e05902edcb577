using System.Runtime.InteropServices;
using Fer.Training.Networks;
using Fer.Training.Onnx;
using Fer.Training.Torch;
using Fer.Training.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Fer.Tests.Onnx;

/// <summary>
/// A FerNet backbone with BatchNorm statistics moved off identity, saved as safetensors (features.* only). Unlike the
/// shared torchvision fixture, whose random weights make float32 results on real faces chaotic, ONNX Runtime and
/// TorchSharp agree on it to float precision, so exports and evaluations can be compared strictly.
/// </summary>
internal static class WellConditionedBackbone
{
    public static string Write(string path)
    {
        TorchRuntime.Initialize();
        manual_seed(23);
        using var model = new FerNet(64);
        TestModels.RandomiseNorms(model, scale: 0.2);
        var tensors = new List<KeyValuePair<string, StoredTensor>>();
        foreach (var (name, tensor) in model.state_dict().Where(e => e.Key.StartsWith("features.", StringComparison.Ordinal)))
        {
            var stored = tensor.dtype == ScalarType.Int64
                ? new StoredTensor(TensorDataType.Int64, tensor.shape, MemoryMarshal.AsBytes(tensor.data<long>().ToArray().AsSpan()).ToArray())
                : StoredTensor.FromSingles(TensorData.ToFloats(tensor), tensor.shape);
            tensors.Add(new(name, stored));
        }
        SafetensorsFile.Write(path, tensors);
        return path;
    }
}
