using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fer.Benchmarks;
using Fer.Inference.Models;
using Fer.Inference.Monitoring;
using Fer.Tests.Inference;

namespace Fer.Tests.Monitoring;

/// <summary>Crops sent through the Open Inference Protocol (<c>/v2/models/fer/infer</c>) are live traffic like
/// /predict's: a real replica with the bundled model watches them against its reference and raises the alarm on
/// darkened faces.</summary>
public sealed class OpenInferenceMonitoringTests
{
    [Fact]
    public async Task CropsSentThroughV2_AreWatched_AndDarkenedOnesRaiseTheAlarm()
    {
        await using var replica = await InferenceHost.StartWithFileAsync(BundledReplay.ModelPath);
        await replica.WaitForVersionAsync(null);
        var version = replica.Get<ModelHolder>().Current!.Version;
        Assert.NotNull(await replica.Get<ReferenceCatalog>().LoadAsync(version));

        foreach (var batch in Fer2013Replay.Draw(FaceShift.Darkened, 250, seed: 2604).Chunk(10))
        {
            var request = new JsonObject
            {
                ["inputs"] = new JsonArray(new JsonObject
                {
                    ["name"] = "input",
                    ["shape"] = new JsonArray(batch.Length, 1, 48, 48),
                    ["datatype"] = "FP32",
                    ["data"] = new JsonArray([.. batch.SelectMany(face => face.Pixels).Select(v => (JsonNode)v)]),
                }),
            };
            Assert.Equal(HttpStatusCode.OK, (await replica.Client.PostAsJsonAsync("/v2/models/fer/infer", request)).StatusCode);
        }

        var drift = await ReplayClient.DriftOfAsync(replica.Client, version);
        Assert.Equal(250, drift.GetProperty("windowFaces").GetInt32());
        Assert.Contains("brightness", drift.GetProperty("alarms").EnumerateArray().Select(a => a.GetString()));
    }
}
