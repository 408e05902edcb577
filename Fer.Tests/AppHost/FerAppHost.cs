using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Fer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fer.Tests.AppHost;

/// <summary>
/// Fer.AppHost under Aspire's test host, on free ports (gateway, dashboard, OTLP), with its state in a folder of the
/// test's choosing and the Aspire dashboard on (the trace tests read its telemetry API).
/// </summary>
public sealed class FerAppHost : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private FerAppHost(DistributedApplication app, string adminKey, Uri dashboard, string browserToken)
    {
        App = app;
        AdminKey = adminKey;
        Dashboard = new HttpClient { BaseAddress = dashboard };
        BrowserToken = browserToken;
        gateway = new Lazy<HttpClient>(() => new HttpClient { BaseAddress = app.GetEndpoint("gateway", "http"), Timeout = TimeSpan.FromSeconds(100) });
    }

    private readonly Lazy<HttpClient> gateway;

    public DistributedApplication App { get; }
    public string AdminKey { get; }
    public HttpClient Gateway => gateway.Value;
    public HttpClient Dashboard { get; }
    public string BrowserToken { get; }

    /// <param name="redis">Fer:Redis (garnet or redis-server).</param>
    /// <param name="onlyRedis">Leave out every service: the Redis resource alone (the durability tests).</param>
    public static async Task<FerAppHost> StartAsync(string redis, string stateDirectory, bool onlyRedis = false)
    {
        var adminKey = "test-admin-key-" + Guid.NewGuid().ToString("N");
        var browserToken = Guid.NewGuid().ToString("N");
        var dashboardPort = RedisStores.GetFreeLoopbackPort();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Fer_AppHost>(
        [
            $"--Fer:Redis={redis}",
            $"--Fer:StateDirectory={stateDirectory}",
            $"--Fer:GatewayPort={RedisStores.GetFreeLoopbackPort()}",
            $"--FER_ADMIN_KEY={adminKey}",
            $"--ASPNETCORE_URLS=http://localhost:{dashboardPort}",
            $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:{RedisStores.GetFreeLoopbackPort()}",
            $"--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://localhost:{RedisStores.GetFreeLoopbackPort()}",
            "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
            $"--AppHost:BrowserToken={browserToken}",
        ], (options, _) => options.DisableDashboard = onlyRedis);
        if (onlyRedis)
        {
            foreach (var service in builder.Resources.OfType<ProjectResource>().Where(p => p.Name != "garnet").ToList())
                builder.Resources.Remove(service);
        }
        var app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await app.StartAsync(timeout.Token);
        return new FerAppHost(app, adminKey, new Uri($"http://localhost:{dashboardPort}"), browserToken);
    }

    public ValueTask<string?> RedisConnectionStringAsync() => App.GetConnectionStringAsync("redis");

    /// <summary>The latest snapshot of a resource (waits for the first one).</summary>
    public async Task<CustomResourceSnapshot> SnapshotAsync(string resource, Func<ResourceEvent, bool>? until = null, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var found = await App.ResourceNotifications.WaitForResourceAsync(resource, until ?? (_ => true), cancel.Token);
        return found.Snapshot;
    }

    public async Task<int> PidAsync(string resource)
    {
        var snapshot = await SnapshotAsync(resource, e => e.Snapshot.Properties.Any(p => p.Name == "executable.pid" && p.Value is not null));
        return Convert.ToInt32(snapshot.Properties.First(p => p.Name == "executable.pid").Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The dashboard's telemetry API key, given for the browser token as the dashboard's own login does.</summary>
    public async Task<string?> TelemetryApiKeyAsync()
    {
        var answer = await Dashboard.PostAsJsonAsync("/api/telemetry/validateToken", new { token = BrowserToken });
        answer.EnsureSuccessStatusCode();
        var body = await answer.Content.ReadFromJsonAsync<JsonElement>();
        return body.TryGetProperty("apiKey", out var key) && key.ValueKind == JsonValueKind.String ? key.GetString() : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (gateway.IsValueCreated) gateway.Value.Dispose();
        Dashboard.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
