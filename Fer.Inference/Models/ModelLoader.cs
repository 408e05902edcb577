using System.Security.Cryptography;
using Fer.Imaging;
using Fer.Inference.Batching;
using Fer.Inference.Onnx;
using Microsoft.Extensions.Options;

namespace Fer.Inference.Models;

/// <summary>Turns a package into a model ready to serve: verify the checksum, create the session, check the contract,
/// and warm it up at the batch sizes it will see (so the first requests after a swap do not pay for allocation).</summary>
public sealed class ModelLoader(OnnxSessionFactory sessions, IOptions<BatchingOptions> batching)
{
    public OnnxModel Load(ModelPackage package, CancellationToken cancellationToken = default)
    {
        var actual = Convert.ToHexStringLower(SHA256.HashData(package.Bytes));
        if (package.Sha256 is { } expected && !string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
            throw new ModelLoadException("checksum", $"model {package.SourceKey}: SHA-256 {actual} does not match the published {expected}");

        var session = sessions.Create(package.Bytes);
        OnnxModel? model = null;
        try
        {
            model = new OnnxModel(session, ModelDescription.Read(session, package.Version, actual), package.SourceKey);
            WarmUp(model, cancellationToken);
            return model;
        }
        catch
        {
            if (model is null) session.Dispose();
            else model.Release();
            throw;
        }
    }

    /// <summary>Batch sizes 1, 2, 4, ... up to the max batch; each must give finite probabilities that sum to one.</summary>
    public static IReadOnlyList<int> WarmUpSizes(int maxBatch)
    {
        var sizes = new List<int>();
        for (var size = 1; size < maxBatch; size *= 2) sizes.Add(size);
        sizes.Add(maxBatch);
        return sizes;
    }

    private void WarmUp(OnnxModel model, CancellationToken cancellationToken)
    {
        var sizes = WarmUpSizes(batching.Value.MaxBatchSize);
        var input = new float[sizes[^1] * FaceImage.PixelCount];
        Array.Fill(input, 0.5f);
        foreach (var size in sizes)
        {
            ModelOutputs outputs;
            try
            {
                outputs = model.Run(input, size, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new ModelLoadException("warmup", $"model {model.Version} failed its warm-up run at batch size {size}: {e.Message}", e);
            }
            for (var row = 0; row < size; row++)
            {
                var sum = 0.0;
                for (var c = 0; c < outputs.Classes; c++)
                {
                    var p = outputs.Probabilities[row * outputs.Classes + c];
                    if (!float.IsFinite(p) || p < 0)
                        throw new ModelLoadException("warmup", $"model {model.Version} produced the probability {p} at warm-up");
                    sum += p;
                }
                if (Math.Abs(sum - 1) > 1e-3)
                    throw new ModelLoadException("warmup", $"model {model.Version}'s probabilities sum to {sum:F4}, not 1, at warm-up");
            }
        }
    }
}
