using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Fer.Tests.Infrastructure;

namespace Fer.Tests.Inference;

/// <summary>
/// A real Fer.Inference replica in a process of its own (`dotnet Fer.Inference.dll` as built), on a free loopback port,
/// so that its memory can be measured apart from the test's.
/// </summary>
public sealed class InferenceProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private InferenceProcess(Process process, Uri address)
    {
        this.process = process;
        Client = CreateClient(address);
    }

    public HttpClient Client { get; }

    /// <summary>Another client with connections of its own (disposing it closes them).</summary>
    public HttpClient CreateClient() => CreateClient(Client.BaseAddress!);

    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    /// <summary>Resident memory now (VmRSS).</summary>
    public long ResidentBytes => ReadStatus("VmRSS:");

    /// <summary>Threads and the kinds of resident memory, for failure messages.</summary>
    public string MemoryReport => string.Join("; ", File.ReadLines($"/proc/{process.Id}/status").Where(l => l.StartsWith("Threads", StringComparison.Ordinal) || l.StartsWith("Rss", StringComparison.Ordinal)));

    /// <summary>The most resident memory the process ever had (VmHWM).</summary>
    public long PeakResidentBytes => ReadStatus("VmHWM:");

    public static async Task<InferenceProcess> StartAsync(IDictionary<string, string?> settings)
    {
        var dll = RepositoryPaths.BuildOutput("Fer.Inference", "Fer.Inference.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"build Fer.Inference first: {dll} is missing");
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        foreach (var (key, value) in settings) start.ArgumentList.Add($"--{key}={value}");
        foreach (var inherited in new[] { "ConnectionStrings__redis", "OTEL_EXPORTER_OTLP_ENDPOINT" }) start.Environment.Remove(inherited);
        var process = new Process { StartInfo = start };
        var replica = new InferenceProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => replica.Append(e.Data);
        process.ErrorDataReceived += (_, e) => replica.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await replica.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        return replica;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"Fer.Inference exited with code {process.ExitCode}:\n{Output}");
            try
            {
                if ((await Client.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"Fer.Inference was not healthy within {timeout.TotalSeconds} s:\n{Output}");
    }

    private long ReadStatus(string field)
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    private static HttpClient CreateClient(Uri address) => new() { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
