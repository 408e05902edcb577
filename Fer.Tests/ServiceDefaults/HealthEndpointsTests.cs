using System.Net;
using System.Text.Json;
using Fer.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Fer.Tests.ServiceDefaults;

public sealed class HealthEndpointsTests
{
    [Fact]
    public async Task HealthAndAlive_AnswerOkWithAReadableBody_WhenEveryCheckPasses()
    {
        await using var app = BuildApp(dependencyHealthy: true);
        using var client = new HttpClient { BaseAddress = await app.StartOnLoopbackAsync() };

        foreach (var path in new[] { "/health", "/alive" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
            Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("self").GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Health_Is503AndNamesTheFailingCheck_WhileAliveStaysOk()
    {
        await using var app = BuildApp(dependencyHealthy: false);
        using var client = new HttpClient { BaseAddress = await app.StartOnLoopbackAsync() };

        var health = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        using var body = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        var dependency = body.RootElement.GetProperty("checks").GetProperty("dependency");
        Assert.Equal("Unhealthy", dependency.GetProperty("status").GetString());
        Assert.Equal("the dependency is down", dependency.GetProperty("description").GetString());

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);
    }

    private static WebApplication BuildApp(bool dependencyHealthy)
    {
        var builder = LoopbackApp.CreateBuilder();
        builder.AddServiceDefaults();
        builder.Services.AddHealthChecks().AddCheck("dependency", () => dependencyHealthy
            ? HealthCheckResult.Healthy("the dependency is up")
            : HealthCheckResult.Unhealthy("the dependency is down"));
        var app = builder.Build();
        app.MapDefaultEndpoints();
        return app;
    }
}
