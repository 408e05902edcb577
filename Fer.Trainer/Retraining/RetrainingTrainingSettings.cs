using System.Text.Json.Nodes;
using Fer.Trainer.Jobs;

namespace Fer.Trainer.Retraining;

/// <summary>Turns a policy's training settings into the options of the run it starts, checked as <c>POST /train</c>
/// checks its body: <c>includeFeedback: true</c> and <c>promote: "rollout"</c> unless the settings say otherwise.</summary>
public sealed class RetrainingTrainingSettings(TrainRequestParser parser)
{
    public async Task<(TrainJobOptions? Options, Dictionary<string, string[]> Errors)> ResolveAsync(JsonObject? training, CancellationToken cancellationToken)
    {
        var body = training?.DeepClone().AsObject() ?? [];
        if (!body.ContainsKey("includeFeedback")) body["includeFeedback"] = true;
        if (!body.ContainsKey("promote")) body["promote"] = "rollout";
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()));
        return await parser.ParseAsync(stream, cancellationToken);
    }
}
