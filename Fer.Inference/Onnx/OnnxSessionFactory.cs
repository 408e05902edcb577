using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace Fer.Inference.Onnx;

/// <summary>Builds sessions tuned for serving: full graph optimisation, configured thread counts, CUDA when this is the
/// GPU build on a machine with a GPU, CPU otherwise (and says which, once).</summary>
public sealed partial class OnnxSessionFactory(IOptions<OnnxOptions> options, ILogger<OnnxSessionFactory> logger)
{
    private int providerLogged;

    /// <summary>The execution provider sessions run on ("CUDA" or "CPU"), known after the first session.</summary>
    public string? ExecutionProvider { get; private set; }

    public InferenceSession Create(byte[] model)
    {
        using var sessionOptions = CreateOptions();
        try
        {
            return new InferenceSession(model, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException("graph", $"ONNX Runtime refused the model: {e.Message}", e);
        }
    }

    private Microsoft.ML.OnnxRuntime.SessionOptions CreateOptions()
    {
        var settings = options.Value;
        var sessionOptions = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            GraphOptimizationLevel = settings.GraphOptimization,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = settings.IntraOpThreads,
            InterOpNumThreads = settings.InterOpThreads,
            EnableMemoryPattern = true,
            EnableCpuMemArena = true,
        };
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", settings.AllowSpinning ? "1" : "0");
        var provider = "CPU";
        string? why = settings.UseGpu ? null : "Inference:Onnx:UseGpu is false";
        if (settings.UseGpu)
        {
            try
            {
                sessionOptions.AppendExecutionProvider_CUDA(settings.GpuDeviceId);
                provider = "CUDA";
            }
            catch (EntryPointNotFoundException)
            {
                why = "this is the CPU build of ONNX Runtime (build with -p:FerGpu=true for CUDA)";
            }
            catch (OnnxRuntimeException e)
            {
                why = $"CUDA is not usable here: {e.Message}";
            }
        }
        ExecutionProvider = provider;
        if (Interlocked.Exchange(ref providerLogged, 1) == 0)
        {
            if (provider == "CUDA") LogCuda(logger, settings.GpuDeviceId);
            else LogCpu(logger, why ?? "unknown", settings.IntraOpThreads, settings.InterOpThreads);
        }
        return sessionOptions;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ONNX Runtime runs on CUDA device {DeviceId}")]
    private static partial void LogCuda(ILogger logger, int deviceId);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "ONNX Runtime runs on the CPU ({Why}); intra-op threads {IntraOp} (0 = one per core), inter-op threads {InterOp}")]
    private static partial void LogCpu(ILogger logger, string why, int intraOp, int interOp);
}
