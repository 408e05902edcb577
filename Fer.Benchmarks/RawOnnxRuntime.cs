using Fer.Inference.Batching;
using Fer.Inference.Models;
using Fer.Inference.Onnx;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Fer.Benchmarks;

/// <summary>The reference: the benchmark's model loaded with the service's own session factory and loader, run directly
/// on canonical crops, batch after batch (in <see cref="RawSettings.ConcurrentBatches"/> threads side by side), with no
/// HTTP, decoding or batching around it.</summary>
public sealed class RawOnnxRuntime : IDisposable
{
    private readonly OnnxModel model;
    private readonly IReadOnlyList<float[]> crops;

    public RawOnnxRuntime(string modelPath, IReadOnlyList<float[]> crops, int maxBatch, RawSettings settings)
    {
        Settings = settings;
        this.crops = crops;
        var onnx = Options.Create(new OnnxOptions { IntraOpThreads = settings.IntraOpThreads, AllowSpinning = settings.Spinning });
        var loader = new ModelLoader(new OnnxSessionFactory(onnx, NullLogger<OnnxSessionFactory>.Instance),
            Options.Create(new BatchingOptions { MaxBatchSize = maxBatch }));
        model = loader.Load(new ModelPackage("benchmark", null, File.ReadAllBytes(modelPath), null));
    }

    public RawSettings Settings { get; }

    /// <summary>Batches of <paramref name="batch"/> crops for <paramref name="seconds"/> (one warm-up batch first).</summary>
    public Measurement Measure(int batch, double seconds)
    {
        var input = Enumerable.Range(0, batch).SelectMany(i => crops[i % crops.Count]).ToArray();
        return Throughput.MeasureConcurrent(() => model.Run(input, batch), batch, Settings.ConcurrentBatches, seconds,
            Settings.PinLanes ? lane => CorePinning.PinCurrentThread(lane) : null);
    }

    public void Dispose() => model.Release();
}
