using Fer.Imaging;
using Fer.Inference.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fer.Tests.Gateway;

/// <summary>
/// A loopback stand-in for Fer.Inference in the page's browser tests, answering in /predict's own contract (Fer.Inference.Contracts).
/// It runs the real image path (Fer.Imaging) so bad images get the real errors, but its "model" is a softmax over a
/// few statistics of the 48x48 crop: it proves the page's plumbing, not the network (the whole-system test does that).
/// </summary>
internal static class ImageStatisticsInference
{
    public const string ModelVersion = "stand-in-1";

    private static readonly string[] Emotions = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

    public static Task<StandInService> StartAsync() => StandInService.StartAsync("inference", (app, _) =>
        app.MapPost("/predict", PredictAsync));

    private static async Task<Results<Ok<PredictionResponse>, ProblemHttpResult>> PredictAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        FaceImage face;
        try
        {
            face = FaceImageDecoder.Decode(body.ToArray());
        }
        catch (ImageDecodeException error)
        {
            return TypedResults.Problem(title: "Not an image", detail: $"The request body could not be used: {error.Message}.", statusCode: 400);
        }

        var p = face.Pixels;
        double mean = p.Average(), top = p.Take(p.Length / 2).Average(), left = 0;
        for (var y = 0; y < FaceImage.Size; y++)
        for (var x = 0; x < FaceImage.Size / 2; x++)
            left += p[y * FaceImage.Size + x];
        left /= p.Length / 2.0;
        double[] scores = [top - mean, 0.1 * mean, left - mean, 2 * mean - 1, mean - top, 1 - mean, 0.5];
        var exp = scores.Select(s => Math.Exp(4 * s)).ToArray();
        var probabilities = Emotions.Select((e, i) => (e, (float)(exp[i] / exp.Sum()))).ToDictionary(x => x.e, x => x.Item2);
        var best = probabilities.MaxBy(kv => kv.Value);
        // It finds no face: it takes the centre square, as faces=centre does, and answers that one face.
        var side = Math.Min(face.SourceWidth, face.SourceHeight);
        var centre = new PixelBox((face.SourceWidth - side) / 2, (face.SourceHeight - side) / 2, side, side);
        var only = new FacePrediction(centre, null, centre, best.Key, best.Value, probabilities, ModelVersion);
        return TypedResults.Ok(new PredictionResponse(best.Key, best.Value, probabilities, ModelVersion, new PredictionTimings(0, 0, 0, 1.0, 1),
            "centre", null, new ImageDimensions(face.SourceWidth, face.SourceHeight), [only]));
    }
}
