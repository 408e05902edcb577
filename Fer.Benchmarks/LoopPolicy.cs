using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fer.Benchmarks;

/// <summary>
/// The retraining policy for the length of the loop: <see cref="SetAsync"/> keeps the operator's policy and puts the
/// loop's in its place; disposing puts the operator's back (whatever ended the loop: its end, a failure, Ctrl+C). The
/// policy is replaced whole by <c>PUT /feedback/policy</c>, so the operator's comes back field for field, saved anew.
/// </summary>
public sealed class LoopPolicy : IAsyncDisposable
{
    private readonly LoopGateway gateway;
    private readonly JsonObject operators;
    private readonly TextWriter output;

    private LoopPolicy(LoopGateway gateway, JsonObject operators, TextWriter output, DateTimeOffset savedAt) =>
        (this.gateway, this.operators, this.output, SavedAt) = (gateway, operators, output, savedAt);

    /// <summary>When the trainer saved the loop's policy: its decisions from then on are the loop's.</summary>
    public DateTimeOffset SavedAt { get; }

    /// <summary>The loop's policy: on, a run after <paramref name="newLabels"/> labels (counted since the policy's last
    /// run), a minute's cool-down (one run for the loop: its feedback stops when the run fires), and a short run on the
    /// feedback set that goes through the safe rollout.</summary>
    public static JsonObject For(int newLabels, MonitoringLoopOptions options) => new()
    {
        ["enabled"] = true,
        ["newLabels"] = newLabels,
        ["interval"] = null,
        ["coolDown"] = "00:01:00",
        ["training"] = new JsonObject
        {
            ["maxPerClass"] = options.MaxPerClass,
            ["epochs1"] = options.Epochs,
            ["epochs2"] = 0,
            ["includeFeedback"] = true,
            ["promote"] = "rollout",
        },
    };

    /// <param name="current">The operator's policy as <c>GET /feedback/policy</c> shows it.</param>
    public static async Task<LoopPolicy> SetAsync(LoopGateway gateway, JsonElement current, JsonObject loop, TextWriter output, CancellationToken cancellationToken)
    {
        var operators = JsonNode.Parse(current.GetRawText())!.AsObject();
        operators.Remove("updatedAt"); // the trainer sets it
        var saved = await gateway.PutAsync("/feedback/policy", loop, cancellationToken);
        return new LoopPolicy(gateway, operators, output, saved.GetProperty("updatedAt").GetDateTimeOffset());
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await gateway.PutAsync("/feedback/policy", operators, CancellationToken.None);
            output.WriteLine($"the operator's retraining policy is back: {operators.ToJsonString()}");
        }
        catch (HttpRequestException e)
        {
            output.WriteLine($"the operator's retraining policy could NOT be put back ({e.Message}); it was: {operators.ToJsonString()}");
        }
    }
}
