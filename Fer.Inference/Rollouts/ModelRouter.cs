using System.Diagnostics;
using Fer.Faces.Finding;
using Fer.Imaging;
using Fer.Inference.Batching;
using Fer.Inference.Models;
using Fer.Inference.Monitoring;
using Fer.Inference.Prediction;

namespace Fer.Inference.Rollouts;

/// <summary>
/// Sends each request's faces to the model its id falls to during a rollout (<see cref="CandidateModel.Route"/>): the
/// candidate's batcher in canary, production's otherwise; in shadow it runs the same faces on the candidate after
/// production has answered, compares the answers, times production on the same faces run the same way (the latency
/// gate's reference in shadow), and drops that work first when the replica is saturated or
/// <see cref="ShadowAdmission"/> finds no spare time for it. Every answer goes into the evidence, and the shadowed
/// candidate's answers into its drift window (<see cref="DriftMonitor"/>) as a serving version's are.
/// </summary>
public sealed class ModelRouter(InferenceBatcher production, ModelHolder productionHolder, CandidateModel candidate, RolloutEvidence evidence,
    ShadowAdmission admission, DriftMonitor drift)
{
    public RolloutRoute Route(string requestId)
    {
        var target = candidate.Target;
        evidence.Begin(target is null ? null : RolloutEvidence.StepOf(target));
        return candidate.Route(requestId);
    }

    public InferenceBatcher BatcherFor(RolloutRoute route) => route == RolloutRoute.Canary ? candidate.Batcher : production;

    public string RoleOf(RolloutRoute route) => route == RolloutRoute.Canary ? ModelHolder.CandidateRole : ModelHolder.ProductionRole;

    /// <summary>The version a request on this route meets, for evidence about a request that failed.</summary>
    public string? VersionOf(RolloutRoute route) => (route == RolloutRoute.Canary ? candidate.Holder : productionHolder).Current?.Version;

    /// <summary>A request this route's version answered: its model time and each face's class and confidence.</summary>
    public void RecordAnswer(RolloutRoute route, string version, TimeSpan modelTime, (int Class, float Confidence)[] faces) =>
        evidence.RecordAnswer(version, RoleOf(route), ok: true, modelTime, faces);

    public void RecordFailure(RolloutRoute route)
    {
        if (VersionOf(route) is { } version) evidence.RecordAnswer(version, RoleOf(route), ok: false, TimeSpan.Zero, []);
    }

    /// <summary>Runs <paramref name="crops"/> (the faces of <paramref name="found"/>, in order) on the shadowed candidate in
    /// the background, compares its emotions with production's (<paramref name="answered"/>, in the same order) and
    /// records what it answered in its drift window; skipped when either batcher has more than a batch waiting or
    /// <see cref="ShadowAdmission"/> refuses it.</summary>
    internal void Shadow(float[][] crops, (int Class, float Confidence)[] answered, IReadOnlyList<FoundFaces> found)
    {
        if (crops.Length == 0 || candidate.Target is not { } target) return;
        if (production.QueueDepth > production.MaxBatchSize || candidate.Batcher.QueueDepth > candidate.Batcher.MaxBatchSize
            || !admission.TryAdmit(out var free))
        {
            evidence.RecordShadowDropped(target.CandidateVersion);
            return;
        }
        var productionClasses = answered.Select(best => best.Class).ToArray();
        _ = Task.Run(async () =>
        {
            // The budget is charged the shadow request's whole wall time, not only the model's runs: the hand-offs, copies
            // and comparison around them take the cores too, and waiting for a core on a busy replica overcharges it, the safe side.
            var started = Stopwatch.GetTimestamp();
            (string Version, PredictionRows Rows)? shadowAnswer = null;
            try
            {
                var runs = await Task.WhenAll(crops.Chunk(candidate.Batcher.MaxBatchSize).Select(chunk => candidate.Batcher.SubmitAsync(chunk, CancellationToken.None)));
                var shadowed = new PredictionRows(runs, candidate.Batcher.MaxBatchSize);
                var baseline = RunProductionAlike(crops, candidate.Batcher.MaxBatchSize);
                evidence.RecordShadow(runs[0].ModelVersion, ok: true, shadowed.ModelTime, baseline, productionClasses, shadowed.BestOfAll());
                shadowAnswer = (runs[0].ModelVersion, shadowed);
            }
            catch (QueueFullException)
            {
                evidence.RecordShadowDropped(target.CandidateVersion);
            }
            catch (Exception)
            {
                evidence.RecordShadow(target.CandidateVersion, ok: false, TimeSpan.Zero, null, [], []);
            }
            finally
            {
                // Outside the try: a monitoring fault must not count as the candidate's failure, nor keep the budget's slot.
                try
                {
                    if (shadowAnswer is { } watched) drift.Record(watched.Version, found, watched.Rows);
                }
                finally
                {
                    admission.Finished(Stopwatch.GetElapsedTime(started), free);
                }
            }
        });
    }

    /// <summary>Production's run time on <paramref name="crops"/> run as the shadowed candidate's were, right after them:
    /// alone (no other request in the batch), in batches of <paramref name="batchSize"/>. The candidate's shadow runs are
    /// single requests in production's spare moments while production's own runs are batches under load, so only this
    /// gives the latency gate like for like. Null when production is not there to run or its run failed.</summary>
    private TimeSpan? RunProductionAlike(float[][] crops, int batchSize)
    {
        if (!productionHolder.TryAcquire(out var model)) return null;
        try
        {
            var longest = TimeSpan.Zero;
            foreach (var chunk in crops.Chunk(batchSize))
            {
                var input = new float[chunk.Length * FaceImage.PixelCount];
                for (var i = 0; i < chunk.Length; i++) chunk[i].CopyTo(input, i * FaceImage.PixelCount);
                var started = Stopwatch.GetTimestamp();
                model.Run(input, chunk.Length);
                var took = Stopwatch.GetElapsedTime(started);
                if (took > longest) longest = took;
            }
            return longest;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null; // production's own requests say what is wrong with it; the candidate is not to blame
        }
        finally
        {
            model.Release();
        }
    }
}
