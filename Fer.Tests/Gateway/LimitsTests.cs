using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Fer.Tests.Gateway;

public sealed class LimitsTests
{
    [Fact]
    public async Task Predict_Is429WithRetryAfter_OnceAClientUsedItsPermits_WhileAnotherClientGoesOn()
    {
        await using var replica = await StandIns.InferenceAsync("replica-a");
        await using var gateway = await GatewayHost.StartAsync([replica.Address], trainer: null, new Dictionary<string, string?>
        {
            ["Gateway:Limits:PredictPermitLimit"] = "3",
            ["Gateway:Limits:PredictWindow"] = "00:01:00",
        });
        using var client = gateway.CreateClient();

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await PredictAsync(client, "203.0.113.7")).StatusCode);
        var refused = await PredictAsync(client, "203.0.113.7");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("3 predictions", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(3, replica.Count("POST", "/predict"));

        // Per client: the address comes from X-Forwarded-For set by a trusted (loopback) proxy.
        Assert.Equal(HttpStatusCode.OK, (await PredictAsync(client, "203.0.113.8")).StatusCode);
        Assert.Equal("203.0.113.8", replica.Received.Last().Headers["X-Forwarded-For"]);
    }

    [Fact]
    public async Task ABodyOverTheLimit_Is413ProblemDetails_AndNeverReachesTheReplica()
    {
        await using var replica = await StandIns.InferenceAsync("replica-a");
        await using var gateway = await GatewayHost.StartAsync([replica.Address], trainer: null,
            new Dictionary<string, string?> { ["Gateway:Limits:MaxRequestBodyBytes"] = "1000" });
        using var client = gateway.CreateClient();

        var response = await client.PostAsync("/predict", new ByteArrayContent(new byte[1001]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.True(response.Headers.ConnectionClose, "a 413 for an unread body must close the connection");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("The request body is 1001 bytes; the limit is 1000 bytes.", problem.GetProperty("detail").GetString());
        Assert.Equal(0, replica.Count("POST", "/predict"));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/predict", new ByteArrayContent(new byte[1000]))).StatusCode);
    }

    [Fact]
    public async Task AChunkedBodyOverTheLimit_Is413_Too()
    {
        await using var replica = await StandIns.InferenceAsync("replica-a");
        await using var gateway = await GatewayHost.StartAsync([replica.Address], trainer: null,
            new Dictionary<string, string?> { ["Gateway:Limits:MaxRequestBodyBytes"] = "1000" });
        using var client = gateway.CreateClient();
        var content = new StreamContent(new MemoryStream(new byte[5000]));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await client.SendAsync(request);

        Assert.True(HttpStatusCode.RequestEntityTooLarge == response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static Task<HttpResponseMessage> PredictAsync(HttpClient client, string clientAddress)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = new ByteArrayContent([1, 2, 3]) };
        request.Headers.Add("X-Forwarded-For", clientAddress);
        return client.SendAsync(request);
    }
}
