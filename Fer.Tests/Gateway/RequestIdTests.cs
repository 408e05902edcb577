using System.Net;

namespace Fer.Tests.Gateway;

public sealed class RequestIdTests
{
    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/health")]
    [InlineData("POST", "/predict")]
    [InlineData("POST", "/train")]
    [InlineData("GET", "/no-such-page")]
    public async Task EveryResponse_CarriesARequestId(string method, string path)
    {
        await using var replica = await StandIns.InferenceAsync("replica-a");
        await using var gateway = await GatewayHost.StartAsync([replica.Address], trainer: null);
        using var client = gateway.CreateClient();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent([1]) });

        var id = Assert.Single(response.Headers.GetValues("X-Request-Id"));
        Assert.Matches("^[0-9a-f]{32}$", id);
    }

    [Fact]
    public async Task ACallersRequestId_IsKeptAndForwarded_AndAnUnsafeOneIsReplaced()
    {
        await using var replica = await StandIns.InferenceAsync("replica-a");
        await using var gateway = await GatewayHost.StartAsync([replica.Address], trainer: null);
        using var client = gateway.CreateClient();

        var kept = await PredictAsync(client, "abc-123");
        Assert.Equal("abc-123", kept.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("abc-123", replica.Received.Last().Headers["X-Request-Id"]);

        var replaced = await PredictAsync(client, "<script>");
        var id = replaced.Headers.GetValues("X-Request-Id").Single();
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal(id, replica.Received.Last().Headers["X-Request-Id"]);
    }

    private static async Task<HttpResponseMessage> PredictAsync(HttpClient client, string requestId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = new ByteArrayContent([1]) };
        request.Headers.TryAddWithoutValidation("X-Request-Id", requestId);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }
}
