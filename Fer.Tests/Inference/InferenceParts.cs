using System.Diagnostics.Metrics;
using Fer.Inference.Batching;
using Fer.Inference.Models;
using Fer.Inference.Onnx;
using Fer.Inference.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Fer.Tests.Inference;

/// <summary>The service's parts built by hand around real ONNX Runtime sessions, for tests that control time.</summary>
internal static class InferenceParts
{
    public static InferenceTelemetry Telemetry() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    public static ModelLoader Loader(int maxBatch = 4) => new(
        new OnnxSessionFactory(Options.Create(new OnnxOptions { IntraOpThreads = 1 }), NullLogger<OnnxSessionFactory>.Instance),
        Options.Create(new BatchingOptions { MaxBatchSize = maxBatch }));

    public static OnnxModel Load(int seed, string? version = null, int maxBatch = 4) =>
        Loader(maxBatch).Load(new ModelPackage($"key-{seed}", version, InferenceTestModels.Onnx(seed), Sha256: null));

    public static ModelHolder Holder(InferenceTelemetry telemetry, int seed)
    {
        var holder = new ModelHolder(telemetry);
        holder.Swap(Load(seed));
        return holder;
    }

    public static InferenceBatcher Batcher(ModelHolder holder, InferenceTelemetry telemetry, TimeProvider time, BatchingOptions options) =>
        new(holder, telemetry, Options.Create(options), Options.Create(new OnnxOptions { IntraOpThreads = 1 }), time, NullLogger<InferenceBatcher>.Instance);
}
