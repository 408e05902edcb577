using Fer.Registry.Errors;
using Fer.Registry.Monitoring;
using Fer.ServiceDefaults.Security;
using Fer.Trainer.Apis;
using Fer.Trainer.Jobs;
using Fer.Training.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.ML.OnnxRuntime;

namespace Fer.Trainer.Monitoring;

/// <summary>
/// <c>GET /models/{version}/monitoring-reference</c>: the reference replicas watch a version against (its own, or one
/// attached later); <c>POST</c> (admin key): computes one for a version published without one, on the trainer's data,
/// and attaches it (synchronously: seconds for Cnn48 on FER2013's 2,872 validation faces; cancelled with the request).
/// <c>?force=true</c> replaces an attached reference; a version's own reference is never replaced.
/// </summary>
public static class MonitoringReferenceApi
{
    public const string Path = "/{version}/monitoring-reference";

    public static IEndpointRouteBuilder MapMonitoringReferenceApi(this IEndpointRouteBuilder app)
    {
        var api = RedisUnavailable.RequireRedis(app.MapGroup("/models").WithTags("Monitoring"));
        api.MapGet(Path, GetReference).WithName("GetMonitoringReference")
            .WithSummary("The monitoring reference a version is watched against, and whether it shipped with the version or was attached");
        api.MapPost(Path, AttachReference).WithName("AttachMonitoringReference")
            .WithSummary("Compute a version's monitoring reference on the trainer's data and attach it (versions published without one)")
            .RequireAdminKey();
        return app;
    }

    public static async Task<Results<Ok<MonitoringReferenceResponse>, ProblemHttpResult>> GetReference(
        string version, MonitoringReferenceStore references) =>
        await references.GetOfVersionAsync(version) switch
        {
            null => NotFound(version),
            { Own: { } own } => TypedResults.Ok(new MonitoringReferenceResponse(version, MonitoringReferenceResponse.FromMetrics, null, null, own)),
            { Attached: { } attached } => TypedResults.Ok(Attached(version, attached)),
            // The version is there and simply has none: an answer, not an error (the page asks this of every unwatched production).
            _ => TypedResults.Ok(new MonitoringReferenceResponse(version, MonitoringReferenceResponse.None, null, null, null)),
        };

    public static async Task<Results<Created<MonitoringReferenceResponse>, ProblemHttpResult>> AttachReference(
        string version, ReferenceAttacher attacher, CancellationToken cancellationToken, bool force = false)
    {
        ReferenceAttachment result;
        try
        {
            result = await attacher.AttachAsync(version, force, cancellationToken);
        }
        catch (TrainingDataNotFoundException e)
        {
            // The trainer's own data is missing, not the caller's fault; it passes once the operator provides it.
            return Problem(StatusCodes.Status503ServiceUnavailable, "Training data unavailable", PublicPaths.Redact(e.Message)!, version);
        }
        catch (Exception e) when (e is DataFormatException or IOException or InvalidDataException)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "Training data unreadable", PublicPaths.Redact(e.Message)!, version);
        }
        catch (ModelVersionNotFoundException)
        {
            return NotFound(version); // removed by retention while the reference was computed
        }
        catch (ModelIntegrityException e)
        {
            return Problem(StatusCodes.Status409Conflict, "Model version is damaged", e.Message, version);
        }
        catch (OnnxRuntimeException e)
        {
            return Problem(StatusCodes.Status409Conflict, "Model version does not run",
                $"model version '{version}' could not be run on the validation faces: {e.Message}", version);
        }
        return result.Outcome switch
        {
            ReferenceAttachOutcome.Attached => TypedResults.Created($"/models/{version}/monitoring-reference", Attached(version, result.Attached!)),
            ReferenceAttachOutcome.VersionNotFound => NotFound(version),
            ReferenceAttachOutcome.VersionHasItsOwn => Problem(StatusCodes.Status409Conflict, "Version has its own monitoring reference",
                $"model version '{version}' shipped with a monitoring reference in its metrics; it is what replicas watch, and it is never replaced", version),
            _ => Problem(StatusCodes.Status409Conflict, "Monitoring reference already attached",
                $"model version '{version}' has a monitoring reference attached already" +
                (result.Attached is { } existing ? $" ({existing.AttachedAt:O}, {existing.Source})" : "") +
                "; add ?force=true to compute and attach it again", version),
        };
    }

    private static MonitoringReferenceResponse Attached(string version, AttachedReference attached) =>
        new(version, MonitoringReferenceResponse.Attached, attached.AttachedAt, attached.Source, attached.Reference);

    private static ProblemHttpResult NotFound(string version) =>
        Problem(StatusCodes.Status404NotFound, "Model version not found", new ModelVersionNotFoundException(version).Message, version);

    private static ProblemHttpResult Problem(int status, string title, string detail, string version) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status, extensions: new Dictionary<string, object?> { ["version"] = version });
}
