using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fer.Trainer.Jobs;

/// <summary>
/// Turns the body of <c>POST /train</c> into <see cref="TrainJobOptions"/>, or into errors keyed by the JSON field at
/// fault (a wrong type, an unknown field, a value out of range), ready for a ValidationProblem.
/// </summary>
public sealed class TrainRequestParser(TrainerPaths paths)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = true,
    };

    public async Task<(TrainJobOptions? Options, Dictionary<string, string[]> Errors)> ParseAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length == 0 || buffer.ToArray().All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            return Resolve(new TrainRequest());
        try
        {
            using var syntax = JsonDocument.Parse(buffer.ToArray());
            if (syntax.RootElement.ValueKind != JsonValueKind.Object)
                return Errors("body", $"the body must be a JSON object (or empty for every default), not {syntax.RootElement.ValueKind.ToString().ToLowerInvariant()}");
        }
        catch (JsonException e)
        {
            return Errors("body", $"the body is not valid JSON: {FirstSentence(e.Message)}");
        }
        try
        {
            var request = JsonSerializer.Deserialize<TrainRequest>(buffer.ToArray(), Json);
            return request is null ? Errors("body", "the body must be a JSON object (or empty for every default)") : Resolve(request);
        }
        catch (JsonException e)
        {
            var field = FieldOf(e.Path);
            return field is null
                ? Errors("body", $"the body is not valid JSON: {FirstSentence(e.Message)}")
                : Errors(field, $"'{field}' has the wrong type or is not an option: {FirstSentence(e.Message)}");
        }
    }

    public (TrainJobOptions? Options, Dictionary<string, string[]> Errors) Resolve(TrainRequest request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Fail(string field, string message) => errors[field] = [message];

        if (request.Data is not null && string.IsNullOrWhiteSpace(request.Data))
            Fail("data", "'data' must be a path (or left out to use the configured data directory)");

        var imageSize = request.ImageSize ?? TrainDefaults.ImageSize;
        if (imageSize is < TrainDefaults.MinImageSize or > TrainDefaults.MaxImageSize || imageSize % 32 != 0)
            Fail("imageSize", $"'imageSize' must be a multiple of 32 from {TrainDefaults.MinImageSize} to {TrainDefaults.MaxImageSize} (got {imageSize})");

        var epochs1 = request.Epochs1 ?? TrainDefaults.Epochs1;
        var epochs2 = request.Epochs2 ?? TrainDefaults.Epochs2;
        if (epochs1 is < 0 or > TrainDefaults.MaxEpochs)
            Fail("epochs1", $"'epochs1' must be from 0 to {TrainDefaults.MaxEpochs} (got {epochs1})");
        if (epochs2 is < 0 or > TrainDefaults.MaxEpochs)
            Fail("epochs2", $"'epochs2' must be from 0 to {TrainDefaults.MaxEpochs} (got {epochs2})");
        if (epochs1 == 0 && epochs2 == 0)
            Fail("epochs1", "'epochs1' and 'epochs2' must not both be 0");

        var batchSize = request.BatchSize ?? TrainDefaults.BatchSize;
        if (batchSize is < TrainDefaults.MinBatchSize or > TrainDefaults.MaxBatchSize)
            Fail("batchSize", $"'batchSize' must be from {TrainDefaults.MinBatchSize} to {TrainDefaults.MaxBatchSize} (got {batchSize})");

        var recipe = (request.Recipe ?? TrainDefaults.Recipe).Trim().ToLowerInvariant();
        if (recipe is not (TrainDefaults.TransferRecipe or TrainDefaults.ScratchRecipe))
            Fail("recipe", $"'recipe' must be '{TrainDefaults.TransferRecipe}' or '{TrainDefaults.ScratchRecipe}' (got '{request.Recipe}')");

        var promote = PromotionPolicy.IfBetter;
        if (request.Promote is not null && !TryParsePolicy(request.Promote, out promote))
            Fail("promote", $"'promote' must be 'always', 'if-better' or 'never' (got '{request.Promote}')");

        var weights = request.Weights ?? paths.DefaultWeights;
        if (request.Weights is not null)
        {
            if (string.IsNullOrWhiteSpace(request.Weights))
                Fail("weights", "'weights' must be the path of a weights file (or left out)");
            else if (paths.FindFile(request.Weights) is { } found)
                weights = found;
            else
                Fail("weights", $"'weights': no file '{request.Weights}' (looked in {string.Join(", ", paths.Candidates(request.Weights))})");
        }

        if (errors.Count > 0) return (null, errors);
        return (new TrainJobOptions
        {
            Data = request.Data,
            ImageSize = imageSize,
            Epochs1 = epochs1,
            Epochs2 = epochs2,
            BatchSize = batchSize,
            Weights = weights,
            Recipe = recipe,
            Seed = request.Seed ?? TrainDefaults.Seed,
            Promote = promote,
        }, errors);
    }

    public static bool TryParsePolicy(string value, out PromotionPolicy policy)
    {
        policy = value.Trim().ToLowerInvariant() switch
        {
            "always" => PromotionPolicy.Always,
            "if-better" or "ifbetter" or "if_better" => PromotionPolicy.IfBetter,
            "never" => PromotionPolicy.Never,
            _ => (PromotionPolicy)(-1),
        };
        return Enum.IsDefined(policy);
    }

    private static (TrainJobOptions?, Dictionary<string, string[]>) Errors(string field, string message) =>
        (null, new Dictionary<string, string[]> { [field] = [message] });

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
