using Microsoft.ML.OnnxRuntime;

namespace Fer.Inference.Onnx;

/// <summary>How ONNX Runtime sessions are built (configuration section <c>Inference:Onnx</c>).</summary>
public sealed class OnnxOptions
{
    public const string Section = "Inference:Onnx";

    /// <summary>Threads one batch may use inside an operator; 0 lets ONNX Runtime use one per physical core.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Threads across independent graph branches; 1 because a CNN is one chain and batches run one at a time.</summary>
    public int InterOpThreads { get; set; } = 1;

    /// <summary>Whether idle intra-op threads spin waiting for work (ONNX Runtime's default). Spinning lowers latency on
    /// dedicated cores and steals CPU from decoding and HTTP on shared ones.</summary>
    public bool AllowSpinning { get; set; } = true;

    public GraphOptimizationLevel GraphOptimization { get; set; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>Try the CUDA execution provider first (it needs the GPU build and a GPU; otherwise CPU, logged).</summary>
    public bool UseGpu { get; set; } = true;

    public int GpuDeviceId { get; set; }

    internal static IEnumerable<string> Validate(OnnxOptions options)
    {
        if (options.IntraOpThreads is < 0 or > 1024) yield return $"{Section}:IntraOpThreads must be 0 (automatic) to 1024, not {options.IntraOpThreads}";
        if (options.InterOpThreads is < 0 or > 1024) yield return $"{Section}:InterOpThreads must be 0 (automatic) to 1024, not {options.InterOpThreads}";
        if (!Enum.IsDefined(options.GraphOptimization)) yield return $"{Section}:GraphOptimization '{options.GraphOptimization}' is not an ONNX Runtime optimisation level";
        if (options.GpuDeviceId < 0) yield return $"{Section}:GpuDeviceId must not be negative";
    }
}
