using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Fer.Benchmarks;

/// <summary>
/// The inference service as a replica runs: a process of its own (the <c>Fer.Inference</c> build beside this
/// benchmark, ReadyToRun code off as the AppHost starts it), configured through its environment, on a free loopback
/// port; killed when disposed. Unlike the in-process service it shares neither a heap, a thread pool nor a JIT with the
/// load generator and the raw reference, only the cores.
/// </summary>
public sealed class ReplicaProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 20;

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private ReplicaProcess(Process process, IPEndPoint address)
    {
        this.process = process;
        Address = address;
    }

    public IPEndPoint Address { get; }

    /// <param name="settings">Configuration keys (<c>Inference:Batching:MaxBatchSize</c>), passed as environment variables.</param>
    public static async Task<ReplicaProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, TimeSpan timeout)
    {
        var address = new IPEndPoint(IPAddress.Loopback, FreePort());
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "Fer.Inference.exe" : "Fer.Inference"))
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://{address}";
        start.Environment["DOTNET_ReadyToRun"] = "0";
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        var replica = new ReplicaProcess(process, address);
        process.OutputDataReceived += (_, line) => replica.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => replica.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await replica.WaitUntilReadyAsync(timeout);
            return replica;
        }
        catch
        {
            await replica.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://{Address}"), Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                process.WaitForExit(); // lets its output drain
                throw new InvalidOperationException($"the replica exited with code {process.ExitCode} before serving a model:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
            }
            try
            {
                using var ready = await client.GetAsync("/v2/health/ready");
                if (ready.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the replica did not serve a model in {timeout.TotalSeconds:F0} s:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
    }

    /// <summary>Keeps the replica's last lines for an error message, stack frames left out (an unhandled exception's
    /// message comes first, before dozens of them).</summary>
    private void Keep(string? line)
    {
        if (line is null || line.StartsWith("   at ", StringComparison.Ordinal)) return;
        output.Enqueue(line);
        while (output.Count > KeptOutputLines) output.TryDequeue(out _);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
