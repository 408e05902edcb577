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
            // The test plays a proxy on loopback that the gateway is configured to trust.
            ["Gateway:ForwardedHeaders:KnownNetworks:0"] = "127.0.0.0/8",
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

        // Per client: the address comes from X-Forwarded-For set by the trusted proxy.
        Assert.Equal(HttpStatusCode.OK, (await PredictAsync(client, "203.0.113.8")).StatusCode);
        Assert.Equal("203.0.113.8", replica.Received.Last().Headers["X-Forwarded-For"]);
    }

    [Fact]
    public async Task RotatingXForwardedFor_DoesNotEscapeTheLimit_UnlessTheSenderIsAConfiguredProxy()
    {
        await using var replica = await StandIns.InferenceAsync("replica-a");
        await using var gateway = await GatewayHost.StartAsync([replica.Address], trainer: null, new Dictionary<string, string?>
        {
            ["Gateway:Limits:PredictPermitLimit"] = "5",
            ["Gateway:Limits:PredictWindow"] = "00:01:00",
            // A proxy is configured, but it is not this caller (which connects from 127.0.0.1): loopback is not trusted by itself.
            ["Gateway:ForwardedHeaders:KnownProxies:0"] = "192.0.2.10",
        });
        using var client = gateway.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++) statuses.Add((await PredictAsync(client, $"198.51.100.{i + 1}")).StatusCode);

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(15, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(5, replica.Count("POST", "/predict"));
        // What the replica is told is the address the gateway saw, not the one the caller claimed.
        Assert.Equal("127.0.0.1", replica.Received.Last().Headers["X-Forwarded-For"]);
    }

    [Theory]
    [InlineData("Gateway:ForwardedHeaders:KnownProxies:0", "not-an-address")]
    [InlineData("Gateway:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/99")]
    public async Task AMalformedTrustedProxy_StopsTheGatewayAtStart_NamingTheKey(string key, string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            GatewayHost.StartAsync([], trainer: null, new Dictionary<string, string?> { [key] = value }));
        Assert.Contains(key[..key.LastIndexOf(':')], error.Message);
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
