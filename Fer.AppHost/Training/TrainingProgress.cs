using System.Globalization;
using System.Text.Json;

namespace Fer.AppHost.Training;

/// <summary>The state text of the training resource: "running · phase 1 · epoch 2/5 · training · 412 img/s".</summary>
public static class TrainingProgress
{
    public const string Idle = "idle";

    /// <param name="latest">A job snapshot from the trainer's <c>GET /train/events</c> stream, or default when there is none.</param>
    public static (string Text, bool Running) Describe(JsonElement latest)
    {
        if (latest.ValueKind != JsonValueKind.Object) return (Idle, false);
        var state = latest.GetProperty("state").GetString() ?? "unknown";
        var id = latest.GetProperty("id").GetString();
        if (state is not ("running" or "queued")) return ($"{Idle} (last job {id}: {state})", false);

        var parts = new List<string> { state };
        if (latest.TryGetProperty("phase", out var phase) && phase.GetInt32() > 0) parts.Add($"phase {phase.GetInt32()}");
        if (latest.TryGetProperty("epochs", out var epochs) && epochs.GetInt32() > 0)
            parts.Add($"epoch {latest.GetProperty("epoch").GetInt32()}/{epochs.GetInt32()}");
        if (latest.TryGetProperty("stage", out var stage) && stage.GetString() is { } s) parts.Add(s);
        if (latest.TryGetProperty("imagesPerSecond", out var rate) && rate.ValueKind == JsonValueKind.Number)
            parts.Add($"{rate.GetDouble().ToString("0", CultureInfo.InvariantCulture)} img/s");
        return (string.Join(" · ", parts), true);
    }
}
