using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Fer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fer.Tests.AppHost;

/// <summary>
/// Fer.AppHost under Aspire's test host, on free ports (gateway, dashboard, OTLP), with its state in a folder of the
/// test's choosing and the Aspire dashboard on (the trace tests read its telemetry API).
/// </summary>
public sealed partial class FerAppHost : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private FerAppHost(DistributedApplication app, string adminKey)
    {
        App = app;
        AdminKey = adminKey;
        gateway = new Lazy<HttpClient>(() => new HttpClient { BaseAddress = app.GetEndpoint("gateway", "http"), Timeout = TimeSpan.FromSeconds(100) });
    }

    private readonly Lazy<HttpClient> gateway;

    public DistributedApplication App { get; }
    public string AdminKey { get; }
    public HttpClient Gateway => gateway.Value;

    /// <param name="redis">Fer:Redis (garnet or redis-server).</param>
    /// <param name="onlyRedis">Leave out every service: the Redis resource alone (the durability tests).</param>
    public static async Task<FerAppHost> StartAsync(string redis, string stateDirectory, bool onlyRedis = false)
    {
        var adminKey = "test-admin-key-" + Guid.NewGuid().ToString("N");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Fer_AppHost>(
        [
            $"--Fer:Redis={redis}",
            $"--Fer:StateDirectory={stateDirectory}",
            $"--Fer:RunsDirectory={Path.Combine(stateDirectory, "runs")}",
            $"--Fer:GatewayPort={RedisStores.GetFreeLoopbackPort()}",
            $"--FER_ADMIN_KEY={adminKey}",
        ], (options, _) => options.DisableDashboard = onlyRedis);
        // The services' own console output stays out of the test log; what they write to stderr (Error) is kept.
        builder.Services.AddLogging(logging => logging.AddFilter("Fer.AppHost.Resources", LogLevel.Warning));
        if (onlyRedis)
        {
            foreach (var service in builder.Resources.OfType<ProjectResource>().Where(p => p.Name != "garnet").ToList())
                builder.Resources.Remove(service);
        }
        var app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await app.StartAsync(timeout.Token);
        return new FerAppHost(app, adminKey);
    }

    public ValueTask<string?> RedisConnectionStringAsync() => App.GetConnectionStringAsync("redis");

    /// <summary>The latest snapshot of a resource (waits for the first one).</summary>
    public async Task<CustomResourceSnapshot> SnapshotAsync(string resource, Func<ResourceEvent, bool>? until = null, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var found = await App.ResourceNotifications.WaitForResourceAsync(resource, until ?? (_ => true), cancel.Token);
        return found.Snapshot;
    }

    /// <summary>Runs <paramref name="wait"/> on <paramref name="resource"/>; when it fails, the failure also carries the
    /// last lines the resource wrote (a service that crashed says why on stderr, which the test log's tail loses).</summary>
    public async Task WithLogsOnFailureAsync(string resource, Func<Task> wait)
    {
        try
        {
            await wait();
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            throw new InvalidOperationException($"{e.Message}\n--- the last lines '{resource}' wrote ---\n{await LogTailAsync(resource)}", e);
        }
    }

    /// <summary>The last <paramref name="count"/> lines a resource wrote (console and Aspire's own lines about it).</summary>
    public async Task<string> LogTailAsync(string resource, int count = 80)
    {
        var tail = new Queue<string>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            var logs = App.Services.GetRequiredService<ResourceLoggerService>();
            var model = App.Services.GetRequiredService<DistributedApplicationModel>();
            await foreach (var batch in logs.GetAllAsync(model.Resources.Single(r => r.Name == resource)).WithCancellation(cancel.Token))
            foreach (var line in batch)
            {
                tail.Enqueue($"{(line.IsErrorMessage ? "! " : "  ")}{ConsoleColours().Replace(line.Content, "")}");
                if (tail.Count > count) tail.Dequeue();
            }
        }
        catch (OperationCanceledException)
        {
            tail.Enqueue("(reading the log took over 10 s; it ends here)");
        }
        return tail.Count == 0 ? "(nothing)" : string.Join('\n', tail);
    }

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex ConsoleColours();

    public async Task<int> PidAsync(string resource)
    {
        var snapshot = await SnapshotAsync(resource, e => e.Snapshot.Properties.Any(p => p.Name == "executable.pid" && p.Value is not null));
        return Convert.ToInt32(snapshot.Properties.First(p => p.Name == "executable.pid").Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A client for the Aspire dashboard's telemetry HTTP API: the dashboard's address and API key, read from
    /// the environment of the dashboard process (the test host picks both at random).</summary>
    public async Task<HttpClient> DashboardApiAsync()
    {
        var environment = await DashboardEnvironmentAsync();
        var api = new HttpClient { BaseAddress = new Uri(environment["ASPNETCORE_URLS"].Split(';')[0]) };
        if (environment.TryGetValue("DASHBOARD__API__PRIMARYAPIKEY", out var key)) api.DefaultRequestHeaders.Add("X-API-Key", key);
        return api;
    }

    /// <summary>The address a browser logs in to the dashboard with (its browser token, when it asks for one).</summary>
    public async Task<string> DashboardLoginUrlAsync()
    {
        var environment = await DashboardEnvironmentAsync();
        var url = environment["ASPNETCORE_URLS"].Split(';')[0].TrimEnd('/');
        return environment.TryGetValue("DASHBOARD__FRONTEND__BROWSERTOKEN", out var token) ? $"{url}/login?t={token}" : url;
    }

    private async Task<Dictionary<string, string>> DashboardEnvironmentAsync()
    {
        var dashboard = await SnapshotAsync("aspire-dashboard", e => e.Snapshot.EnvironmentVariables.Any(v => v.Name == "ASPNETCORE_URLS"));
        return dashboard.EnvironmentVariables.Where(v => v.Value is not null).ToDictionary(v => v.Name, v => v.Value!);
    }

    public async ValueTask DisposeAsync()
    {
        if (gateway.IsValueCreated) gateway.Value.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
