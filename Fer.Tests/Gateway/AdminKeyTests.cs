using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fer.ServiceDefaults.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Fer.Tests.Gateway;

public sealed class AdminKeyTests
{
    public static TheoryData<string> AdminRoutes => new() { "/train", "/train/job-1/cancel", "/models/v3/promote", "/models/rollback", "/models/v3/monitoring-reference" };

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task AdminRoute_Is401WithoutAKey_403WithAWrongOne_AndReachesTheTrainerWithTheRightOne_WhichChecksItToo(string path)
    {
        await using var trainer = await StandIns.TrainerAsync();
        await using var gateway = await GatewayHost.StartAsync([], trainer.Address);
        using var client = gateway.CreateClient();

        var missing = await client.PostAsJsonAsync(path, new { });
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Contains("X-Api-Key", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        var wrong = await SendAsync(client, path, "not-the-key");
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal("Wrong admin key", (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(0, trainer.Count("POST", path));

        var right = await SendAsync(client, path, GatewayHost.AdminKey);
        Assert.True(right.IsSuccessStatusCode, $"{path}: {right.StatusCode}");
        var received = Assert.Single(trainer.Received, r => r.Method == "POST" && r.Path == path);
        Assert.Equal(GatewayHost.AdminKey, received.Headers["X-Api-Key"]);
    }

    [Fact]
    public async Task TheModelDownload_NeedsTheKey_AndCarriesItToTheTrainer()
    {
        await using var trainer = await StandIns.TrainerAsync();
        await using var gateway = await GatewayHost.StartAsync([], trainer.Address);
        using var client = gateway.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/models/v3/onnx")).StatusCode);
        Assert.Equal(0, trainer.Count("GET", "/models/v3/onnx"));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/models/v3/onnx");
        request.Headers.Add("X-Api-Key", GatewayHost.AdminKey);
        Assert.True((await client.SendAsync(request)).IsSuccessStatusCode);
        Assert.Equal(GatewayHost.AdminKey, Assert.Single(trainer.Received, r => r.Path == "/models/v3/onnx").Headers["X-Api-Key"]);
    }

    [Fact]
    public async Task Reads_StayOpen()
    {
        await using var trainer = await StandIns.TrainerAsync();
        await using var gateway = await GatewayHost.StartAsync([], trainer.Address);
        using var client = gateway.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/train/job-1")).StatusCode);
    }

    [Fact]
    public async Task WithoutAConfiguredKey_TheGatewayGeneratesOne_AndOnlyItOpensAdminRoutes()
    {
        await using var trainer = await StandIns.TrainerAsync();
        var logs = new CapturedLogs();
        await using var gateway = await GatewayHost.StartAsync([], trainer.Address, new Dictionary<string, string?> { ["FER_ADMIN_KEY"] = null }, logs);
        var key = gateway.App.Services.GetRequiredService<AdminKey>();
        using var client = gateway.CreateClient();

        Assert.True(key.Generated);
        Assert.True(key.Value.Length >= 24);
        // Printed once, at start-up (before any request), so the operator can use it.
        Assert.Single(logs.Messages, m => m.Contains(key.Value, StringComparison.Ordinal) && m.Contains("FER_ADMIN_KEY", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(client, "/train", GatewayHost.AdminKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(client, "/train", key.Value)).StatusCode);
        Assert.Single(logs.Messages, m => m.Contains(key.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AConfiguredKey_IsNeverLogged()
    {
        var logs = new CapturedLogs();
        await using var gateway = await GatewayHost.StartAsync([], null, logs: logs);
        using var client = gateway.CreateClient();
        await SendAsync(client, "/train", "wrong-key-123");

        Assert.DoesNotContain(logs.Messages, m => m.Contains(GatewayHost.AdminKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AShortConfiguredKey_StopsTheGatewayAtStartWithAMessageNamingTheVariable()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            GatewayHost.StartAsync([], null, new Dictionary<string, string?> { ["FER_ADMIN_KEY"] = "short" }));
        Assert.Contains("FER_ADMIN_KEY", error.Message);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { }) };
        request.Headers.Add("X-Api-Key", key);
        return client.SendAsync(request);
    }
}
