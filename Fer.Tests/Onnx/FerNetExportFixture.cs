using Fer.Training.Networks;
using Fer.Training.Onnx;
using Fer.Training.Torch;

namespace Fer.Tests.Onnx;

/// <summary>
/// One FerNet at 64 px (every BatchNorm moved away from identity, so that folding matters), exported once and loaded once
/// into ONNX Runtime, shared by the FerNet export tests: building, exporting and loading 21M parameters is the slow part.
/// </summary>
public sealed class FerNetExportFixture : IDisposable
{
    public const int ImageSize = 64;

    public FerNetExportFixture()
    {
        TorchRuntime.Initialize();
        TorchSharp.torch.manual_seed(11);
        Model = new FerNet(ImageSize);
        TestModels.RandomiseNorms(Model, scale: 0.2);
        Model.eval();
        Onnx = OnnxExporter.Export(Model, TestModels.Info(ImageSize));
        Runtime = new OnnxRuntimeModel(Onnx);
    }

    public FerNet Model { get; }

    public byte[] Onnx { get; }

    public OnnxRuntimeModel Runtime { get; }

    public void Dispose()
    {
        Runtime.Dispose();
        Model.Dispose();
    }
}
