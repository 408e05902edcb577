using Fer.Faces;
using Fer.Faces.Detection;
using Fer.Inference.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Fer.Inference.Faces;

/// <summary>The replica's face detector: on CUDA where the classifier would run there (the GPU build on a machine with
/// a GPU, <c>Inference:Onnx:UseGpu</c>), else on the CPU with one thread a run.</summary>
public static class FaceDetectorFactory
{
    public static UltraFaceDetector Create(FaceFinderOptions faces, OnnxOptions onnx)
    {
        using var options = UltraFaceDetector.DefaultOptions();
        if (onnx.UseGpu)
        {
            try
            {
                options.AppendExecutionProvider_CUDA(onnx.GpuDeviceId);
            }
            catch (Exception e) when (e is EntryPointNotFoundException or OnnxRuntimeException)
            {
                // The CPU build of ONNX Runtime, or no usable GPU: the CPU it is (OnnxSessionFactory logs which, once).
            }
        }
        return new UltraFaceDetector(faces.Detector(), options);
    }
}
