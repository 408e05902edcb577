using System.Net;
using System.Net.Http.Json;

namespace Fer.Tests.Gateway;

/// <summary>The gateway's feedback routes: a label goes to the replicas, limited like /predict; the set's summary to the
/// trainer for anyone; its export and the retraining policy only with the admin key.</summary>
public sealed class FeedbackRoutingTests
{
    [Fact]
    public async Task PostFeedback_ReachesAReplica_AndIsRateLimitedLikePredict()
    {
        await using var replica = await StandIns.InferenceAsync("replica-a");
        await using var trainer = await StandIns.TrainerAsync();
        await using var gateway = await GatewayHost.StartAsync([replica.Address], trainer.Address, new Dictionary<string, string?>
        {
            ["Gateway:Limits:PredictPermitLimit"] = "2",
            ["Gateway:Limits:PredictWindow"] = "00:01:00",
        });
        using var client = gateway.CreateClient();

        for (var i = 0; i < 2; i++) await client.PostAsJsonAsync("/feedback", new { id = "x-1", emotion = "sad" });
        var refused = await client.PostAsJsonAsync("/feedback", new { id = "x-1", emotion = "sad" });

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(2, replica.Count("POST", "/feedback"));
        Assert.DoesNotContain(trainer.Received, r => r.Path.StartsWith("/feedback", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheSummaryIsOpen_TheExportAndThePolicyNeedTheAdminKey()
    {
        await using var trainer = await StandIns.TrainerAsync();
        await using var gateway = await GatewayHost.StartAsync([], trainer.Address);
        using var client = gateway.CreateClient();

        await client.GetAsync("/feedback");
        Assert.Equal(1, trainer.Count("GET", "/feedback"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/feedback/export")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PutAsJsonAsync("/feedback/policy", new { enabled = true })).StatusCode);
        Assert.Equal(0, trainer.Count("GET", "/feedback/export") + trainer.Count("PUT", "/feedback/policy"));

        client.DefaultRequestHeaders.Add("X-Api-Key", GatewayHost.AdminKey);
        await client.GetAsync("/feedback/export");
        await client.PutAsJsonAsync("/feedback/policy", new { enabled = true });
        Assert.Equal(1, trainer.Count("GET", "/feedback/export"));
        Assert.Equal(GatewayHost.AdminKey, trainer.Received.Single(r => r.Path == "/feedback/policy").Headers["X-Api-Key"]);
    }
}
