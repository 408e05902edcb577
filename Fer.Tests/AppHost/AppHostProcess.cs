using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Fer.AppHost.Supervision;

namespace Fer.Tests.AppHost;

/// <summary>The real AppHost, started as `dotnet Fer.AppHost.dll` on free loopback ports with its own state folder.</summary>
public sealed class AppHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _stateDirectory;

    private AppHostProcess(Process process, int dashboardPort, int gatewayPort, string stateDirectory, string adminKey)
    {
        _process = process;
        _stateDirectory = stateDirectory;
        AdminKey = adminKey;
        Dashboard = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{dashboardPort}"), Timeout = TimeSpan.FromSeconds(30) };
        Gateway = new HttpClient { BaseAddress = new Uri($"http://localhost:{gatewayPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Dashboard { get; }
    public HttpClient Gateway { get; }

    /// <summary>The gateway's admin key (FER_ADMIN_KEY, which the AppHost passes on), for the admin routes.</summary>
    public string AdminKey { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static AppHostProcess Start(string redis)
    {
        var dll = Path.Combine(RepositoryRoot(), "Fer.AppHost", "bin", BuildConfiguration(), "net10.0", "Fer.AppHost.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"build Fer.AppHost first: {dll} is missing");
        var (dashboardPort, gatewayPort) = (FreePort(), FreePort());
        var state = Directory.CreateTempSubdirectory("fer-apphost-test-").FullName;
        // Through `env --default-signal=INT` (which execs dotnet, same pid): a test runner started in the background
        // inherits SIGINT as ignored, and .NET keeps an inherited ignore; a terminal's Ctrl+C is what we mean to test.
        var start = new ProcessStartInfo("env")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in new[]
        {
            "--default-signal=INT", "dotnet", dll, $"--AppHost:DashboardUrl=http://127.0.0.1:{dashboardPort}", $"--AppHost:GatewayPort={gatewayPort}",
            $"--AppHost:StateDirectory={state}", "--AppHost:OtlpGrpcPort=0", $"--AppHost:Redis={redis}", "--AppHost:HealthIntervalMilliseconds=500",
        })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Remove("ConnectionStrings__redis");
        var adminKey = "system-test-" + Guid.NewGuid().ToString("N");
        start.Environment["FER_ADMIN_KEY"] = adminKey;
        // The trainer inherits the AppHost's environment: its run folders go to the state folder, removed on dispose,
        // not to runs/ in the checkout.
        start.Environment["Trainer__RunsDirectory"] = Path.Combine(state, "trainer-runs");
        var process = new Process { StartInfo = start };
        var host = new AppHostProcess(process, dashboardPort, gatewayPort, state, adminKey);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    public async Task<JsonElement> ResourcesAsync() => await Dashboard.GetFromJsonAsync<JsonElement>("/api/resources");

    /// <summary>Through the dashboard's API: the spans of the trace, among the newest gateway traces whose name contains
    /// <paramref name="name"/>, that carries the request id <paramref name="requestId"/> (X-Request-Id); empty if none yet.</summary>
    public async Task<List<JsonElement>> TraceOfRequestAsync(string requestId, string name)
    {
        var traces = await Dashboard.GetFromJsonAsync<JsonElement>($"/api/traces?service=gateway&q={Uri.EscapeDataString(name)}&limit=50");
        foreach (var trace in traces.EnumerateArray())
        {
            var spans = await Dashboard.GetFromJsonAsync<JsonElement>($"/api/traces/{trace.GetProperty("traceId").GetString()}");
            if (spans.EnumerateArray().Any(span => span.GetProperty("attributes").TryGetProperty("fer.request_id", out var id) && id.GetString() == requestId))
                return [.. spans.EnumerateArray()];
        }
        return [];
    }

    /// <summary>Polls /api/resources until every resource is healthy; returns the seconds it took from now.</summary>
    public async Task<double> WaitAllHealthyAsync(TimeSpan timeout)
    {
        var timer = Stopwatch.StartNew();
        while (timer.Elapsed < timeout)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the AppHost exited with code {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await ResourcesAsync()).GetProperty("allHealthy").GetBoolean()) return timer.Elapsed.TotalSeconds;
            }
            catch (HttpRequestException)
            {
                // The dashboard is not listening yet.
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"not every resource was healthy within {timeout.TotalSeconds} s:\n{(await ResourcesAsync())}\n{Output}");
    }

    /// <summary>Every (replica name, pid) the AppHost reports, its own pid (embedded Garnet) left out.</summary>
    public async Task<IReadOnlyList<(string Name, int Pid)>> ChildPidsAsync()
    {
        var resources = await ResourcesAsync();
        return [.. resources.GetProperty("resources").EnumerateArray()
            .SelectMany(resource => resource.GetProperty("replicas").EnumerateArray())
            .Where(replica => replica.GetProperty("pid").ValueKind == JsonValueKind.Number && replica.GetProperty("pid").GetInt32() != Pid)
            .Select(replica => (replica.GetProperty("name").GetString()!, replica.GetProperty("pid").GetInt32()))];
    }

    public static async Task<JsonElement> ReplicaAsync(AppHostProcess host, string name)
    {
        var resources = await host.ResourcesAsync();
        return resources.GetProperty("resources").EnumerateArray()
            .SelectMany(resource => resource.GetProperty("replicas").EnumerateArray())
            .Single(replica => replica.GetProperty("name").GetString() == name);
    }

    public static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            // A zombie (state Z) is gone for our purposes: it runs nothing and holds no port.
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..].FirstOrDefault() != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Interrupt() => ProcessSignals.Send(_process.Id, ProcessSignals.SigInt);

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Interrupt();
            if (!await WaitForExitAsync(TimeSpan.FromSeconds(30))) _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
        Dashboard.Dispose();
        Gateway.Dispose();
        try
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot() =>
        Fer.AppHost.Hosting.RepositoryLayout.FindRoot(AppContext.BaseDirectory)
        ?? throw new DirectoryNotFoundException($"no Fer.sln above {AppContext.BaseDirectory}");

    /// <summary>The configuration these tests were built in (bin/&lt;Configuration&gt;/net10.0): the AppHost's is the same.</summary>
    private static string BuildConfiguration() => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
}
