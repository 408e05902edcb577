using System.Diagnostics;
using Fer.Imaging;
using Fer.Inference.Batching;
using Fer.Inference.Contracts;
using Fer.Inference.Models;
using Fer.Inference.Telemetry;
using Microsoft.Extensions.Options;

namespace Fer.Inference.Prediction;

/// <summary>From images to predictions: measure them from their headers against the request's pixel limit, take their
/// share of the replica's decoding budget, decode (in parallel, on the request's threads, a span each), queue for a
/// batch, record the queue wait as a span of the request's trace, and turn the model's rows into answers.</summary>
public sealed class Predictor(
    InferenceBatcher batcher,
    MemoryBudget budget,
    ModelHolder holder,
    ModelReloader reloader,
    InferenceTelemetry telemetry,
    IOptions<PredictionOptions> options,
    TimeProvider time)
{
    /// <summary>Tells the batcher a request is on its way (see <see cref="BatchArrival"/>).</summary>
    public BatchArrival ExpectArrival() => batcher.ExpectArrival();

    public async Task<PredictionResponse[]> PredictImagesAsync(IReadOnlyList<byte[]> images, BatchArrival arrival, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        float[][] crops;
        using (arrival)
        {
            EnsureReady();
            var pixels = MeasurePixels(images);
            using var decoding = await budget.ReserveDecodingAsync(pixels, cancellationToken);
            crops = images.Count == 1
                ? [Decode(images[0], 0, 1)]
                : await Task.WhenAll(images.Select((bytes, i) => Task.Run(() => Decode(bytes, i, images.Count), cancellationToken)));
        }
        var decodeTime = time.GetElapsedTime(started);

        var result = await RunAsync(crops, cancellationToken);
        var total = time.GetElapsedTime(started);
        var timings = new PredictionTimings(decodeTime.TotalMilliseconds, result.QueueTime.TotalMilliseconds,
            result.RunTime.TotalMilliseconds, total.TotalMilliseconds, result.BatchSize);
        var responses = new PredictionResponse[result.Images];
        for (var i = 0; i < responses.Length; i++) responses[i] = ToResponse(result, i, timings);
        return responses;
    }

    /// <summary>Runs crops that are already in the canonical form (the Open Inference Protocol path).</summary>
    public Task<BatchResult> PredictCropsAsync(float[][] crops, CancellationToken cancellationToken)
    {
        EnsureReady();
        return RunAsync(crops, cancellationToken);
    }

    private async Task<BatchResult> RunAsync(float[][] crops, CancellationToken cancellationToken)
    {
        var submitted = time.GetUtcNow();
        var result = await batcher.SubmitAsync(crops, cancellationToken);
        // The wait happened on the model loop; it is recorded here so it sits in the request's own trace.
        using (var wait = InferenceTelemetry.ActivitySource.StartActivity(TelemetryTags.QueueWaitSpan, ActivityKind.Internal,
                   Activity.Current?.Context ?? default, startTime: submitted))
        {
            wait?.SetTag(TelemetryTags.BatchSize, result.BatchSize);
            wait?.SetTag(TelemetryTags.ModelVersion, result.ModelVersion);
            wait?.SetEndTime((submitted + result.QueueTime).UtcDateTime);
        }
        return result;
    }

    private void EnsureReady()
    {
        if (holder.Current is null) throw new ModelNotReadyException(reloader.DescribeNotReady());
    }

    /// <summary>The pixels the images declare together, from their headers alone; 413 beyond the per-request limit.</summary>
    private long MeasurePixels(IReadOnlyList<byte[]> images)
    {
        var limits = options.Value;
        long total = 0;
        for (var i = 0; i < images.Count; i++)
        {
            ImageSize size;
            try
            {
                size = FaceImageDecoder.ReadSize(images[i]);
            }
            catch (ImageDecodeException e) when (images.Count > 1)
            {
                throw new ImageDecodeException(e.Error, $"image {i + 1} of {images.Count}: {e.Message}");
            }
            if (size.Pixels > limits.MaxPixels)
                throw new ImageDecodeException(ImageDecodeError.TooManyPixels, (images.Count > 1 ? $"image {i + 1} of {images.Count}: " : "")
                    + $"the image is {size.Width}x{size.Height} pixels; at most {limits.MaxPixels:N0} pixels are accepted");
            total += size.Pixels;
        }
        if (total > limits.MaxPixelsPerRequest)
            throw new ImageDecodeException(ImageDecodeError.TooManyPixels,
                $"the {images.Count} images hold {total:N0} pixels together; at most {limits.MaxPixelsPerRequest:N0} per request are accepted (Inference:MaxPixelsPerRequest)");
        return total;
    }

    private float[] Decode(byte[] bytes, int index, int count)
    {
        using var activity = InferenceTelemetry.ActivitySource.StartActivity(TelemetryTags.DecodeSpan);
        activity?.SetTag("image.bytes", bytes.Length);
        FaceImage face;
        try
        {
            face = FaceImageDecoder.Decode(bytes, options.Value.MaxPixels);
        }
        catch (ImageDecodeException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            if (count == 1) throw;
            throw new ImageDecodeException(e.Error, $"image {index + 1} of {count}: {e.Message}");
        }
        activity?.SetTag("image.width", face.SourceWidth);
        activity?.SetTag("image.height", face.SourceHeight);
        return face.Pixels;
    }

    private PredictionResponse ToResponse(BatchResult result, int image, PredictionTimings timings)
    {
        var row = result.ProbabilitiesOf(image);
        var probabilities = new Dictionary<string, float>(result.Classes);
        var best = 0;
        for (var c = 0; c < row.Length; c++)
        {
            probabilities[result.Labels[c]] = row[c];
            if (row[c] > row[best]) best = c;
        }
        telemetry.Predictions.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Emotion, result.Labels[best]));
        return new PredictionResponse(result.Labels[best], row[best], probabilities, result.ModelVersion, timings);
    }
}
