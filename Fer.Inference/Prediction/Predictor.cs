using System.Diagnostics;
using Fer.Faces;
using Fer.Faces.Finding;
using Fer.Imaging;
using Fer.Inference.Faces;
using Fer.Inference.Feedback;
using Fer.Inference.Batching;
using Fer.Inference.Contracts;
using Fer.Inference.Models;
using Fer.Inference.Rollouts;
using Fer.Inference.Telemetry;
using Microsoft.Extensions.Options;

namespace Fer.Inference.Prediction;

/// <summary>From images to predictions: measure them from their headers against the request's pixel limit, take their
/// share of the replica's decoding budget, find and crop their faces on the face lanes, queue the crops for batches
/// (at most a batch's worth at a time), record the queue wait as a span of the request's trace, and turn the model's
/// rows into answers, a face each.</summary>
public sealed class Predictor(
    InferenceBatcher batcher,
    ModelRouter router,
    FaceLanes faces,
    MemoryBudget budget,
    ModelHolder holder,
    ModelReloader reloader,
    InferenceTelemetry telemetry,
    Monitoring.DriftMonitor drift,
    IOptions<PredictionOptions> options,
    FeedbackWindow feedback,
    TimeProvider time)
{
    /// <summary>Tells the batcher a request is on its way (see <see cref="BatchArrival"/>).</summary>
    public BatchArrival ExpectArrival() => batcher.ExpectArrival();

    /// <param name="requestId">The request's id (<c>X-Request-Id</c>): during a rollout it decides which version answers.</param>
    public async Task<PredictionResponse[]> PredictImagesAsync(IReadOnlyList<byte[]> images, FaceMode mode, string requestId, BatchArrival arrival,
        CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        FoundFaces[] found;
        using (arrival)
        {
            EnsureReady();
            var sizes = MeasureSizes(images);
            using var decoding = await budget.ReserveDecodingAsync(sizes.Sum(size => size.Pixels), cancellationToken);
            found = images.Count == 1 && !faces.Finder.Detects(sizes[0], mode)
                ? [faces.Find(images[0], sizes[0], mode, options.Value.MaxPixels)]
                : await Task.WhenAll(images.Select((bytes, i) => FindAsync(bytes, sizes[i], mode, i, images.Count, cancellationToken)));
        }
        var decodeTime = time.GetElapsedTime(started);

        var crops = found.SelectMany(image => image.Faces.Select(face => face.Crop.Pixels)).ToArray();
        var route = router.Route(requestId);
        var target = router.BatcherFor(route);
        BatchResult[] runs;
        try
        {
            runs = await Task.WhenAll(crops.Chunk(target.MaxBatchSize).Select(chunk => RunAsync(target, chunk, cancellationToken)));
        }
        catch (Exception e) when (e is not OperationCanceledException and not QueueFullException)
        {
            router.RecordFailure(route);
            throw;
        }
        var total = time.GetElapsedTime(started);
        var timings = new PredictionTimings(decodeTime.TotalMilliseconds,
            runs.Length == 0 ? 0 : runs.Max(r => r.QueueTime.TotalMilliseconds),
            runs.Length == 0 ? 0 : runs.Max(r => r.RunTime.TotalMilliseconds),
            total.TotalMilliseconds, runs.Length == 0 ? 0 : runs.Max(r => r.BatchSize));

        var rows = new PredictionRows(runs, target.MaxBatchSize);
        var best = rows.BestOfAll();
        if (runs.Length > 0)
        {
            router.RecordAnswer(route, runs[0].ModelVersion, rows.ModelTime, best);
            drift.Record(runs[0].ModelVersion, found, rows);
        }
        if (route == RolloutRoute.Shadow) router.Shadow(crops, best, found);
        var responses = new PredictionResponse[found.Length];
        var next = 0;
        for (var i = 0; i < found.Length; i++)
        {
            var answers = found[i].Faces.Select(face => ToFace(face, rows, best, next++)).ToList();
            responses[i] = ToResponse(found[i], answers, timings);
        }
        return responses;
    }

    /// <summary>Runs crops that are already in the canonical form (the Open Inference Protocol path); they are live
    /// traffic too, so the version's drift window records them.</summary>
    public async Task<BatchResult> PredictCropsAsync(float[][] crops, CancellationToken cancellationToken)
    {
        EnsureReady();
        var result = await RunAsync(batcher, crops, cancellationToken);
        drift.Record(result.ModelVersion, crops, result);
        return result;
    }

    private async Task<BatchResult> RunAsync(InferenceBatcher target, float[][] crops, CancellationToken cancellationToken)
    {
        var submitted = time.GetUtcNow();
        var result = await target.SubmitAsync(crops, cancellationToken);
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

    /// <summary>The sizes the images declare, from their headers alone; 413 beyond the pixel limits.</summary>
    private ImageSize[] MeasureSizes(IReadOnlyList<byte[]> images)
    {
        var limits = options.Value;
        long total = 0;
        var sizes = new ImageSize[images.Count];
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
            sizes[i] = size;
        }
        if (total > limits.MaxPixelsPerRequest)
            throw new ImageDecodeException(ImageDecodeError.TooManyPixels,
                $"the {images.Count} images hold {total:N0} pixels together; at most {limits.MaxPixelsPerRequest:N0} per request are accepted (Inference:MaxPixelsPerRequest)");
        return sizes;
    }

    private async Task<FoundFaces> FindAsync(byte[] bytes, ImageSize size, FaceMode mode, int index, int count, CancellationToken cancellationToken)
    {
        try
        {
            return await faces.FindAsync(bytes, size, mode, options.Value.MaxPixels, cancellationToken);
        }
        catch (ImageDecodeException e) when (count > 1)
        {
            throw new ImageDecodeException(e.Error, $"image {index + 1} of {count}: {e.Message}");
        }
    }

    private FacePrediction ToFace(FoundFace face, PredictionRows rows, (int Class, float Confidence)[] bests, int index)
    {
        var (result, row) = rows.Of(index);
        var probabilities = result.ProbabilitiesOf(row);
        var answer = new Dictionary<string, float>(result.Classes);
        for (var c = 0; c < probabilities.Length; c++) answer[result.Labels[c]] = probabilities[c];
        var best = bests[index].Class;
        telemetry.Predictions.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Emotion, result.Labels[best]));
        var crop = new PixelBox(face.CropLeft, face.CropTop, face.CropSide, face.CropSide);
        var box = face.Box is { } b
            ? new PixelBox((int)MathF.Round(b.X0), (int)MathF.Round(b.Y0), (int)MathF.Round(b.Width), (int)MathF.Round(b.Height))
            : crop;
        var id = feedback.Remember(face.Crop.Pixels, result.Labels[best], answer, result.ModelVersion);
        return new FacePrediction(box, face.Box?.Score, crop, result.Labels[best], probabilities[best], answer, result.ModelVersion, id);
    }

    private PredictionResponse ToResponse(FoundFaces found, List<FacePrediction> answers, PredictionTimings timings)
    {
        var image = new ImageDimensions(found.ImageWidth, found.ImageHeight);
        var mode = found.Mode.Name();
        var detector = found.Mode == FaceMode.Detect ? faces.Finder.Detector.Name : null;
        if (answers.Count == 0)
            return new PredictionResponse(null, 0, new Dictionary<string, float>(), holder.Current?.Version ?? "", timings, mode, detector, image, answers,
                "no face found; send faces=centre (the centre square) or faces=whole (the whole image) to classify the image anyway");
        var first = answers[0];
        return new PredictionResponse(first.Emotion, first.Confidence, first.Probabilities, first.ModelVersion, timings, mode, detector, image, answers);
    }
}
