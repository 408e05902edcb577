using System.ComponentModel.DataAnnotations;
using Microsoft.ML.OnnxRuntime;

namespace Fer.Inference.Onnx;

/// <summary>How ONNX Runtime sessions are built (configuration section <c>Inference:Onnx</c>), checked at start from the
/// data annotations below; each message names its key.</summary>
public sealed class OnnxOptions
{
    public const string SectionName = "Inference:Onnx";
    private const string Key = SectionName + ":";

    /// <summary>Threads one batch may use inside an operator; 0 lets ONNX Runtime use one per physical core. 1, the
    /// default: the batcher then runs one lane a core (<c>Inference:Batching:ConcurrentBatches</c>), which keeps every core
    /// busy without ONNX Runtime's threads waiting on each other (its parallel sections spin while a thread of theirs
    /// is descheduled: 5.9 % of all CPU at concurrency 32 with two threads and HTTP on the same 2 cores).</summary>
    [Range(0, 1024, ErrorMessage = Key + nameof(IntraOpThreads) + " must be 0 (automatic) to {2}")]
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Threads across independent graph branches; 1 because a CNN is one chain and batches run one at a time.</summary>
    [Range(0, 1024, ErrorMessage = Key + nameof(InterOpThreads) + " must be 0 (automatic) to {2}")]
    public int InterOpThreads { get; set; } = 1;

    /// <summary>Whether idle intra-op threads spin waiting for work (ONNX Runtime's default is to spin). Off: a replica
    /// shares its cores with HTTP and decoding, and spinning threads took them away (measured on 2 cores: /predict at
    /// concurrency 32 with a nearly free model 2,275 requests/s spinning, 3,553 not; a profile of the spinning run put
    /// 43 % of all CPU in ONNX Runtime, nearly all of it idle threads). Turn it on for a replica whose batches run on
    /// cores of their own.</summary>
    public bool AllowSpinning { get; set; }

    [EnumDataType(typeof(GraphOptimizationLevel), ErrorMessage = Key + nameof(GraphOptimization) + " is not an ONNX Runtime optimisation level")]
    public GraphOptimizationLevel GraphOptimization { get; set; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>Try the CUDA execution provider first (it needs the GPU build and a GPU; otherwise CPU, logged).</summary>
    public bool UseGpu { get; set; } = true;

    [Range(0, int.MaxValue, ErrorMessage = Key + nameof(GpuDeviceId) + " must not be negative")]
    public int GpuDeviceId { get; set; }
}
