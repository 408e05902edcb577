using System.Text.Json;
using Fer.Contracts;
using Fer.Imaging;
using Fer.Inference.Batching;
using Fer.Inference.Contracts;
using Fer.Inference.Models;
using Fer.Inference.Onnx;
using Fer.Inference.Prediction;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Fer.Inference.Apis;

/// <summary>The KServe v2 / Open Inference Protocol over HTTP/JSON, so standard clients can call the model.</summary>
public static class OpenInferenceApi
{
    public const string ModelName = "fer";

    public static IEndpointRouteBuilder MapOpenInferenceApi(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("/v2").WithTags("Open Inference Protocol");
        v2.MapGet("", GetServerMetadata).WithName("V2ServerMetadata").WithSummary("Server name, version and protocol extensions");
        v2.MapGet("/health/live", GetLive).WithName("V2Live").WithSummary("200 while the process runs");
        v2.MapGet("/health/ready", GetReady).WithName("V2Ready").WithSummary("200 while a model serves, 503 before");
        v2.MapGet("/models/{name}", GetModelMetadata).WithName("V2ModelMetadata").WithSummary("The model's version, input and outputs");
        v2.MapGet("/models/{name}/ready", GetModelReady).WithName("V2ModelReady").WithSummary("200 while the model serves, 503 before");
        v2.MapPost("/models/{name}/infer", Infer).WithName("V2Infer")
            .WithSummary("Runs an FP32 [N,1,48,48] tensor of face crops in [0,1]; answers probabilities and logits [N,7]")
            .AddEndpointFilter<RequestMetricsFilter>();
        return app;
    }

    private static Ok<OpenInferenceServerMetadata> GetServerMetadata() =>
        TypedResults.Ok(new OpenInferenceServerMetadata("Fer.Inference",
            typeof(OpenInferenceApi).Assembly.GetName().Version?.ToString() ?? "0", []));

    private static Ok<OpenInferenceHealth> GetLive() => TypedResults.Ok(new OpenInferenceHealth(Live: true, Ready: null));

    private static Results<Ok<OpenInferenceHealth>, JsonHttpResult<OpenInferenceHealth>> GetReady(ModelHolder holder) =>
        holder.Current is null
            ? TypedResults.Json(new OpenInferenceHealth(null, Ready: false), statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(new OpenInferenceHealth(null, Ready: true));

    private static Results<Ok<OpenInferenceHealth>, JsonHttpResult<OpenInferenceHealth>, ProblemHttpResult> GetModelReady(string name, ModelHolder holder)
    {
        if (name != ModelName) return UnknownModel(name);
        return holder.Current is null
            ? TypedResults.Json(new OpenInferenceHealth(null, Ready: false), statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(new OpenInferenceHealth(null, Ready: true));
    }

    private static Results<Ok<OpenInferenceModelMetadata>, ProblemHttpResult> GetModelMetadata(
        string name, ModelHolder holder, ModelReloader reloader, HttpContext context)
    {
        if (name != ModelName) return UnknownModel(name);
        if (holder.Current is not { } model) return InferenceProblems.From(new ModelNotReadyException(reloader.DescribeNotReady()), context);
        var classes = model.Description.Labels.Count;
        return TypedResults.Ok(new OpenInferenceModelMetadata(
            ModelName,
            [model.Version],
            "onnxruntime_onnx",
            [new OpenInferenceTensorMetadata(OpenInferenceTensors.InputName, OpenInferenceTensors.Datatype, [-1, 1, FaceImage.Size, FaceImage.Size])],
            model.Description.OutputNames.Select(output => new OpenInferenceTensorMetadata(output, OpenInferenceTensors.Datatype, [-1, classes])).ToArray(),
            model.Description.Labels));
    }

    private static async Task<Results<Ok<OpenInferenceResponse>, ProblemHttpResult>> Infer(
        string name, HttpContext context, Predictor predictor, MemoryBudget budget, IOptions<PredictionOptions> options,
        ILogger<Predictor> logger, CancellationToken cancellationToken)
    {
        try
        {
            if (name != ModelName) return UnknownModel(name);
            if (context.Request.HasJsonContentType() is false)
                throw new RequestProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                    $"Content-Type '{context.Request.ContentType}' is not supported; send the inference request as application/json");
            OpenInferenceRequest request;
            using (var body = await RequestBody.ReadAsync(context.Request, options.Value.MaxRequestBytes, budget, cancellationToken))
            {
                try
                {
                    request = JsonSerializer.Deserialize<OpenInferenceRequest>(body.Bytes)
                        ?? throw new RequestProblemException(StatusCodes.Status400BadRequest, "Invalid inference request", "the body is JSON null");
                }
                catch (JsonException e)
                {
                    throw new RequestProblemException(StatusCodes.Status400BadRequest, "Invalid inference request", $"the body is not a valid inference request: {e.Message}");
                }
            }
            var crops = OpenInferenceTensors.ReadCrops(request, options.Value.MaxImagesPerRequest);
            var requested = request.Outputs is { Count: > 0 } outputs
                ? outputs.Select(o => o.Name ?? "").ToArray()
                : [OnnxNames.Probabilities, OnnxNames.Logits];
            foreach (var output in requested)
                if (output is not (OnnxNames.Probabilities or OnnxNames.Logits))
                    throw new RequestProblemException(StatusCodes.Status400BadRequest, "Invalid inference request",
                        $"there is no output '{output}'; the outputs are '{OnnxNames.Probabilities}' and '{OnnxNames.Logits}'");

            var result = await predictor.PredictCropsAsync(crops, cancellationToken);
            long[] shape = [result.Images, result.Classes];
            var tensors = new List<OpenInferenceOutput>();
            foreach (var output in requested)
            {
                var data = output == OnnxNames.Probabilities ? result.Probabilities : result.Logits;
                if (data is null)
                    throw new RequestProblemException(StatusCodes.Status400BadRequest, "Invalid inference request",
                        $"model {result.ModelVersion} has no '{output}' output");
                tensors.Add(new OpenInferenceOutput(output, shape, OpenInferenceTensors.Datatype, data));
            }
            return TypedResults.Ok(new OpenInferenceResponse(ModelName, result.ModelVersion, request.Id, tensors));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (!InferenceProblems.IsExpected(e)) ApiLog.PredictionFailed(logger, e, context.Request.Path);
            return InferenceProblems.From(e, context);
        }
    }

    private static ProblemHttpResult UnknownModel(string name) =>
        InferenceProblems.Problem(StatusCodes.Status404NotFound, "Unknown model", $"there is no model '{name}'; this server serves '{ModelName}'");
}
