using Fer.Inference.Contracts;
using Fer.Inference.Prediction;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Fer.Inference.Apis;

public static class PredictApi
{
    public static IEndpointRouteBuilder MapPredictApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Predict").AddEndpointFilter<RequestMetricsFilter>();
        api.MapPost("/predict", Predict)
            .WithName("Predict")
            .WithSummary("The emotion of one face image (raw body), or of each file of a multipart/form-data body, in order")
            // No Accepts<T> metadata: routing would answer a wrong Content-Type with a bare 415 before the handler can
            // say which types it takes.
            .WithDescription($"Body: one image ({string.Join(", ", ImageUpload.ImageTypes)}) or multipart/form-data with one or more files.");
        return app;
    }

    private static async Task<Results<Ok<PredictionResponse>, Ok<PredictionResponse[]>, ProblemHttpResult>> Predict(
        HttpContext context, Predictor predictor, MemoryBudget budget, IOptions<PredictionOptions> options, ILogger<Predictor> logger,
        CancellationToken cancellationToken)
    {
        using var arrival = predictor.ExpectArrival();
        try
        {
            using var upload = await ImageUpload.ReadAsync(context.Request, options.Value, budget, cancellationToken);
            var predictions = await predictor.PredictImagesAsync(upload.Images, arrival, cancellationToken);
            return predictions.Length > 1 ? TypedResults.Ok(predictions) : TypedResults.Ok(predictions[0]);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (!InferenceProblems.IsExpected(e)) ApiLog.PredictionFailed(logger, e, context.Request.Path);
            return InferenceProblems.From(e, context);
        }
    }
}
