using Fer.Registry;
using Fer.Registry.Errors;
using Fer.Registry.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fer.Trainer.Apis;

/// <summary>The model registry over HTTP: list, inspect, download (verified), promote, roll back.</summary>
public static class ModelsApi
{
    public const string OnnxContentType = "application/octet-stream";
    public const string Sha256Header = "X-Fer-Model-Sha256";

    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/models").WithTags("Models");
        api.MapGet("/", ListModels).WithName("ListModels").WithSummary("Every model version, newest first, and which is production");
        api.MapGet("/{version}", GetModel).WithName("GetModel").WithSummary("A model version's metadata and metrics");
        api.MapGet("/{version}/onnx", DownloadOnnx).WithName("DownloadModelOnnx")
            .WithSummary("The version's ONNX file, verified against its SHA-256");
        api.MapPost("/{version}/promote", PromoteModel).WithName("PromoteModel").WithSummary("Make a version production");
        api.MapPost("/rollback", RollBack).WithName("RollBackModel").WithSummary("Move production back to the previous production version");
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

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadOnnx(
        string version, ModelRegistry registry, HttpResponse response, CancellationToken cancellationToken)
    {
        try
        {
            var artifact = await registry.FetchAsync(version, cancellationToken);
            response.Headers[Sha256Header] = artifact.Info.Sha256;
            return TypedResults.File(artifact.Onnx, OnnxContentType, $"fer-{artifact.Info.Version}.onnx",
                lastModified: artifact.Info.CreatedAt,
                entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{artifact.Info.Sha256}\""));
        }
        catch (ModelVersionNotFoundException e)
        {
            return NotFound(e);
        }
        catch (ModelIntegrityException e)
        {
            return TypedResults.Problem(title: "Model version is damaged", detail: e.Message,
                statusCode: StatusCodes.Status500InternalServerError, extensions: VersionExtension(e.Version));
        }
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
