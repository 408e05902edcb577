using System.Globalization;
using System.Text.Json;
using Fer.Contracts;
using Fer.Registry;
using Fer.Registry.Monitoring;
using Fer.Trainer.Jobs;
using Fer.Training.Data;
using Fer.Training.Monitoring;
using Fer.Training.Runs;

namespace Fer.Trainer.Monitoring;

/// <summary>
/// Computes the monitoring reference of a version published without one and attaches it beside the version: the
/// version's ONNX bytes (verified) run through ONNX Runtime on the validation split of the trainer's data, drawn with
/// the version's own <c>valFraction</c> and <c>seed</c> where its training options name them (the split it held out),
/// else the trainer's defaults (10 %, seed 42: the bundled model's run).
/// </summary>
public sealed partial class ReferenceAttacher(
    ModelRegistry registry,
    MonitoringReferenceStore references,
    TrainingDataLocator data,
    TimeProvider time,
    ILogger<ReferenceAttacher> logger)
{
    /// <exception cref="TrainingDataNotFoundException">The trainer has no data to compute it on.</exception>
    /// <exception cref="Registry.Errors.ModelIntegrityException">The version's bytes are damaged.</exception>
    public async Task<ReferenceAttachment> AttachAsync(string version, bool force, CancellationToken cancellationToken)
    {
        // The cheap refusals first, so that a conflict costs no computation; the store checks them again when it writes.
        var info = await registry.TryGetMetadataAsync(version);
        if (info is null) return new ReferenceAttachment(ReferenceAttachOutcome.VersionNotFound);
        if (ModelMetrics.TryParse(info.MetricsJson)?.Monitoring is not null) return new ReferenceAttachment(ReferenceAttachOutcome.VersionHasItsOwn);
        if (!force && await references.GetAttachedAsync(version) is { } existing)
            return new ReferenceAttachment(ReferenceAttachOutcome.AlreadyAttached, existing);

        var dataPath = data.Locate(null);
        var (validationFraction, seed) = SplitOf(info.TrainingOptionsJson);
        var onnx = (await registry.FetchAsync(version, cancellationToken)).Onnx;
        var started = time.GetTimestamp();
        var reference = await Task.Run(() => ModelReference.Compute(onnx, dataPath, FaceDataSource.Validation, validationFraction, seed, cancellationToken),
            cancellationToken);
        var source = string.Create(CultureInfo.InvariantCulture,
            $"the validation split of {PublicPaths.Name(dataPath)} (valFraction {validationFraction}, seed {seed}): {reference.Count} faces");
        var outcome = await references.AttachAsync(version, reference, source, force);
        LogAttach(logger, version, outcome, source, time.GetElapsedTime(started).TotalSeconds, dataPath);
        return new ReferenceAttachment(outcome, outcome == ReferenceAttachOutcome.Attached ? await references.GetAttachedAsync(version) : null);
    }

    /// <summary>The validation fraction and seed a trainer job recorded (<c>options.valFraction</c>, <c>options.seed</c>
    /// in the version's training options), each defaulting to <see cref="TrainingOptions.Defaults"/>.</summary>
    public static (double ValidationFraction, int Seed) SplitOf(string trainingOptionsJson)
    {
        var (fraction, seed) = (TrainingOptions.Defaults.ValidationFraction, TrainingOptions.Defaults.Seed);
        try
        {
            using var document = JsonDocument.Parse(trainingOptionsJson);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("options", out var options) && options.ValueKind == JsonValueKind.Object)
            {
                if (options.TryGetProperty("valFraction", out var f) && f.TryGetDouble(out var value) && value is > 0 and < 1) fraction = value;
                if (options.TryGetProperty("seed", out var s) && s.TryGetInt32(out var number)) seed = number;
            }
        }
        catch (JsonException)
        {
        }
        return (fraction, seed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Monitoring reference of {Version}: {Outcome}, computed on {Source} in {Seconds:F1} s (data at {DataPath})")]
    private static partial void LogAttach(ILogger logger, string version, ReferenceAttachOutcome outcome, string source, double seconds, string dataPath);
}
