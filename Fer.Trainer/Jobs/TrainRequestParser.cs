using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Fer.Training.Runs;

namespace Fer.Trainer.Jobs;

/// <summary>
/// Turns the body of <c>POST /train</c> into <see cref="TrainJobOptions"/> with System.Text.Json, or into errors keyed
/// by the JSON field at fault (a wrong type, an unknown field, a value out of range: all of them at once), ready for a
/// ValidationProblem. Minimal APIs' own body binding would answer one generic 400 that names no field.
/// </summary>
public sealed class TrainRequestParser(TrainerPaths paths)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = true,
    };

    /// <summary>What the fields that take a word accept, for the error when they get another.</summary>
    private static readonly Dictionary<string, string> Choices = new(StringComparer.Ordinal)
    {
        ["promote"] = "'always', 'if-better', 'never' or 'rollout'",
        ["recipe"] = "'transfer' or 'scratch'",
        ["augment"] = "'auto', 'full', 'flip' or 'none'",
        ["featureCache"] = "'auto' or 'off'",
        ["model"] = "'cnn48' or 'efficientnet_v2_s'",
    };

    public async Task<(TrainJobOptions? Options, Dictionary<string, string[]> Errors)> ParseAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, cancellationToken);
        if (buffer.ToArray().All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            return Resolve(new TrainJobOptions());
        JsonObject fields;
        try
        {
            var node = JsonNode.Parse(buffer.ToArray(), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
            if (node is not JsonObject obj)
                return Errors("body", $"the body must be a JSON object (or empty for every default), not {KindOf(node)}");
            fields = obj;
        }
        catch (JsonException e)
        {
            return Errors("body", $"the body is not valid JSON: {FirstSentence(e.Message)}");
        }

        // A field set to null is a field left out: it takes its default.
        foreach (var field in fields.Where(p => p.Value is null).Select(p => p.Key).ToList()) fields.Remove(field);
        foreach (var field in Choices.Keys)
            if (fields[field] is JsonValue value && value.TryGetValue<string>(out var word)) fields[field] = Normalise(field, word);

        // Each field that cannot be read is named and left out, so one answer names every bad field.
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        while (true)
        {
            try
            {
                var request = fields.Deserialize<TrainJobOptions>(Json) ?? new TrainJobOptions();
                var (options, more) = Resolve(request);
                foreach (var (field, messages) in more) errors.TryAdd(field, messages);
                return errors.Count == 0 ? (options, errors) : (null, errors);
            }
            catch (JsonException e) when (FieldOf(e.Path) is { } field && fields.ContainsKey(field))
            {
                errors[field] = [Choices.TryGetValue(field, out var choices)
                    ? $"'{field}' must be {choices} (got {fields[field]?.ToJsonString() ?? "null"})"
                    : $"'{field}' has the wrong type or is not an option: {FirstSentence(e.Message)}"];
                fields.Remove(field);
            }
            catch (JsonException e)
            {
                return Errors("body", $"the body cannot be read: {FirstSentence(e.Message)}");
            }
        }
    }

    /// <summary>Checks a request: the fields the API refuses, the weights file (found as <see cref="TrainerPaths"/>
    /// finds paths, or the configured one), then <see cref="TrainingOptions.Validate"/>.</summary>
    public (TrainJobOptions? Options, Dictionary<string, string[]> Errors) Resolve(TrainJobOptions request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.OutputDirectory is not null)
            errors["out"] = ["'out' is not an option here: each job gets its own folder under Trainer:RunsDirectory"];
        if (request.FeedbackPath is not null)
            errors["feedback"] = ["'feedback' is not an option here: send includeFeedback: true and the job takes the feedback set from the store"];
        if (!request.ExportOnnx)
            errors["exportOnnx"] = ["'exportOnnx' must be true: a job publishes its ONNX model"];

        var weights = request.WeightsPath ?? paths.DefaultWeights;
        if (!string.IsNullOrWhiteSpace(request.WeightsPath))
        {
            if (paths.FindFile(request.WeightsPath) is { } found)
                weights = found;
            else
                errors["weights"] = [$"'weights': no file '{request.WeightsPath}' (looked in {PublicPaths.Redact(string.Join(", ", paths.Candidates(request.WeightsPath)))})"];
        }

        var options = request with { WeightsPath = weights };
        foreach (var error in options.Validate())
            errors.TryAdd(error.Field, [$"'{error.Field}' {error.Problem}"]);
        return errors.Count > 0 ? (null, errors) : ((TrainJobOptions)options.Resolved(), errors);
    }

    // Words are read ignoring case ("Scratch"); promote also as "if_better" or "ifbetter", as the old parser took it.
    private static string Normalise(string field, string word)
    {
        var normal = word.Trim().ToLowerInvariant();
        return field != "promote" ? normal : normal.Replace('_', '-') is "ifbetter" ? "if-better" : normal.Replace('_', '-');
    }

    private static (TrainJobOptions?, Dictionary<string, string[]>) Errors(string field, string message) =>
        (null, new Dictionary<string, string[]> { [field] = [message] });

    private static string KindOf(JsonNode? node) => node?.GetValueKind().ToString().ToLowerInvariant() ?? "null";

    // "$.epochs1" -> "epochs1"; "$" or null -> null (the body as a whole).
    private static string? FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return null;
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        var end = field.IndexOfAny(['.', '[']);
        return end > 0 ? field[..end] : field;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message.TrimEnd('.');
    }
}
