using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Fer.Trainer.Retraining;

/// <summary>
/// Reads the body of <c>PUT /feedback/policy</c> into a <see cref="RetrainingPolicy"/> (fields left out take their
/// defaults; <c>driftHold</c> the configured <see cref="RetrainingOptions.DriftHold"/>), or into errors keyed by the
/// field at fault, ready for a ValidationProblem. The training settings are checked as <c>POST /train</c> would check
/// them, with the defaults the run adds.
/// </summary>
public sealed class RetrainingPolicyParser(RetrainingTrainingSettings settings, IOptions<RetrainingOptions> options, TimeProvider time)
{
    public const int MaxNewLabels = 1_000_000;

    public static readonly TimeSpan MaxDriftHold = TimeSpan.FromDays(7);

    public static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(1);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public async Task<(RetrainingPolicy? Policy, Dictionary<string, string[]> Errors)> ParseAsync(Stream body, CancellationToken cancellationToken)
    {
        RetrainingPolicy policy;
        try
        {
            var node = await JsonNode.ParseAsync(body, cancellationToken: cancellationToken);
            if (node is not JsonObject fields) return Error("body", "the body must be a JSON object");
            if (fields.ContainsKey("updatedAt")) return Error("updatedAt", "'updatedAt' is set by the trainer");
            if (fields["training"] is { } training && training is not JsonObject)
                return Error("training", "'training' must be a JSON object: the body of POST /train");
            policy = fields.Deserialize<RetrainingPolicy>(Json) ?? new RetrainingPolicy();
            if (!fields.ContainsKey("driftHold")) policy = policy with { DriftHold = options.Value.DriftHold };
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } path ? path[2..].Split('.', '[')[0] : "body";
            return Error(field, $"'{field}' cannot be read: {e.Message.Split(". ")[0]}");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (policy.NewLabels is < 1 or > MaxNewLabels)
            errors["newLabels"] = [$"'newLabels' must be between 1 and {MaxNewLabels} (or null: no label trigger)"];
        if (policy.Interval is { } interval && interval < MinInterval)
            errors["interval"] = [$"'interval' must be at least {MinInterval} (or null: no schedule)"];
        if (policy.CoolDown < TimeSpan.Zero)
            errors["coolDown"] = ["'coolDown' must not be negative"];
        if (policy.DriftHold is { } hold && (hold < TimeSpan.Zero || hold > MaxDriftHold))
            errors["driftHold"] = [$"'driftHold' must be between 00:00:00 and {MaxDriftHold} (or null: no drift trigger)"];
        if (policy.Enabled && policy.NewLabels is null && policy.Interval is null && policy.DriftHold is null)
            errors["enabled"] = ["an enabled policy needs a trigger: 'newLabels', 'interval', 'driftHold' or several"];
        var (_, trainingErrors) = await settings.ResolveAsync(policy.Training, cancellationToken);
        foreach (var (field, messages) in trainingErrors) errors[$"training.{field}"] = messages;
        return errors.Count > 0 ? (null, errors) : (policy with { UpdatedAt = time.GetUtcNow() }, errors);
    }

    private static (RetrainingPolicy?, Dictionary<string, string[]>) Error(string field, string message) =>
        (null, new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });
}
