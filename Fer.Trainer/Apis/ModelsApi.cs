using Fer.Registry;
using Fer.Registry.Errors;
using Fer.Registry.Model;
using Fer.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fer.Trainer.Apis;

/// <summary>The model registry over HTTP: list, inspect, download (verified), promote, roll back.</summary>
public static class ModelsApi
{
    public const string OnnxContentType = "application/octet-stream";
    public const string Sha256Header = "X-Fer-Model-Sha256";

    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var api = RedisUnavailable.RequireRedis(app.MapGroup("/models").WithTags("Models"));
        api.MapGet("/", ListModels).WithName("ListModels").WithSummary("Every model version, newest first, and which is production");
        api.MapGet("/{version}", GetModel).WithName("GetModel").WithSummary("A model version's metadata and metrics");
        api.MapGet("/{version}/onnx", DownloadOnnx).WithName("DownloadModelOnnx")
            .WithSummary("The version's ONNX file, streamed and verified against its SHA-256 (admin key: a model is the product's asset)")
            .RequireAdminKey();
        api.MapPost("/{version}/promote", PromoteModel).WithName("PromoteModel").WithSummary("Make a version production").RequireAdminKey();
        api.MapPost("/rollback", RollBack).WithName("RollBackModel").WithSummary("Move production back to the previous production version").RequireAdminKey();
        return app;
    }

    public static async Task<Ok<ModelListResponse>> ListModels(ModelRegistry registry)
    {
        var production = await registry.GetProductionVersionAsync();
        var versions = await registry.ListAsync();
        return TypedResults.Ok(new ModelListResponse(production,
            versions.Reverse().Select(info => ModelVersionResponse.From(info, production)).ToList()));
    }

    public static async Task<Results<Ok<ModelVersionResponse>, ProblemHttpResult>> GetModel(string version, ModelRegistry registry)
    {
        var info = await registry.TryGetMetadataAsync(version);
        if (info is null) return NotFound(new ModelVersionNotFoundException(version));
        return TypedResults.Ok(ModelVersionResponse.From(info, await registry.GetProductionVersionAsync()));
    }

    /// <summary>Streams the file from the registry a chunk at a time (eight downloads at once used to hold eight whole
    /// models): one pass checks every chunk and the SHA-256, so a damaged version is a problem, not partial bytes; the
    /// second sends, hashing again, and aborts the response should the bytes have changed in between.</summary>
    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> DownloadOnnx(
        string version, ModelRegistry registry, HttpResponse response, CancellationToken cancellationToken)
    {
        var info = await registry.TryGetMetadataAsync(version);
        if (info is null) return NotFound(new ModelVersionNotFoundException(version));
        try
        {
            await registry.CopyOnnxToAsync(info, Stream.Null, cancellationToken);
        }
        catch (ModelIntegrityException e)
        {
            return TypedResults.Problem(title: "Model version is damaged", detail: e.Message,
                statusCode: StatusCodes.Status500InternalServerError, extensions: VersionExtension(e.Version));
        }
        response.Headers[Sha256Header] = info.Sha256;
        response.ContentLength = info.SizeBytes;
        return TypedResults.Stream(body => registry.CopyOnnxToAsync(info, body, cancellationToken), OnnxContentType, $"fer-{info.Version}.onnx",
            lastModified: info.CreatedAt,
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{info.Sha256}\""));
    }

    public static async Task<Results<Ok<ProductionChangeResponse>, ProblemHttpResult>> PromoteModel(
        string version, ModelRegistry registry, CancellationToken cancellationToken)
    {
        try
        {
            var change = await registry.PromoteAsync(version, "promoted through the trainer's models API", cancellationToken);
            return TypedResults.Ok(change is null
                ? new ProductionChangeResponse(version, null, Changed: false, Kind(ProductionChangeKind.Promoted))
                : new ProductionChangeResponse(change.Version, change.PreviousVersion, Changed: true, Kind(change.Kind)));
        }
        catch (ModelVersionNotFoundException e)
        {
            return NotFound(e);
        }
        catch (ModelPromotionRefusedException e)
        {
            return TypedResults.Problem(title: "Model version is damaged", detail: e.Message,
                statusCode: StatusCodes.Status409Conflict, extensions: VersionExtension(e.Version));
        }
    }

    public static async Task<Results<Ok<ProductionChangeResponse>, ProblemHttpResult>> RollBack(
        ModelRegistry registry, CancellationToken cancellationToken)
    {
        try
        {
            var change = await registry.RollbackAsync("rolled back through the trainer's models API", cancellationToken);
            return TypedResults.Ok(new ProductionChangeResponse(change.Version, change.PreviousVersion, Changed: true, Kind(change.Kind)));
        }
        catch (RollbackUnavailableException e)
        {
            return TypedResults.Problem(title: "Nothing to roll back to", detail: e.Message,
                statusCode: StatusCodes.Status409Conflict, extensions: VersionExtension(e.CurrentProduction));
        }
    }

    private static string Kind(ProductionChangeKind kind) => kind == ProductionChangeKind.RolledBack ? "rolledBack" : "promoted";

    private static ProblemHttpResult NotFound(ModelRegistryException e) => TypedResults.Problem(
        title: "Model version not found", detail: e.Message, statusCode: StatusCodes.Status404NotFound,
        extensions: VersionExtension(e.Version));

    private static Dictionary<string, object?> VersionExtension(string? version) => new() { ["version"] = version };
}
