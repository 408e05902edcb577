using System.Diagnostics;
using System.Text;
using Fer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Fer.Tests.AppHost;

[Trait("Category", "Slow")]
[Collection(AppHostSystemCollection.Name)]
public sealed class AppHostShutdownTests(ITestOutputHelper output) : IDisposable
{
    private readonly string state = Directory.CreateTempSubdirectory("fer-apphost-ctrlc-").FullName;

    /// <summary>The minute issue 29 asks about; the AppHost's old per-request lines showed within seconds (the training
    /// resource polled the trainer every 2 s and logged four lines per poll).</summary>
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task TheTerminalSaysWhatAUserNeeds_NothingWhileIdle_AndCtrlCStopsEveryProcess_OnEmbeddedGarnet()
    {
        var marker = Guid.NewGuid().ToString("N");
        var gatewayPort = RedisStores.GetFreeLoopbackPort();
        var log = new StringBuilder();
        using var host = AppHostProcess.Start(
        [
            "--Fer:Redis=garnet", $"--Fer:StateDirectory={state}", $"--Fer:GatewayPort={gatewayPort}",
            $"--ASPNETCORE_URLS=http://localhost:{RedisStores.GetFreeLoopbackPort()}",
            $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:{RedisStores.GetFreeLoopbackPort()}",
            "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
        ], new Dictionary<string, string> { ["FER_TEST_MARKER"] = marker, ["DOTNET_ENVIRONMENT"] = "Development" });
        host.OutputDataReceived += (_, line) => { lock (log) log.AppendLine(line.Data); };
        host.ErrorDataReceived += (_, line) => { lock (log) log.AppendLine(line.Data); };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();

        try
        {
            // The trainer and the replicas wait for Garnet, the gateway for their start: when it answers, all run.
            using var gateway = new HttpClient { BaseAddress = new Uri($"http://localhost:{gatewayPort}"), Timeout = TimeSpan.FromSeconds(5) };
            await Poll.UntilAsync(async () =>
            {
                try { return (await gateway.GetAsync("/health")).IsSuccessStatusCode; }
                catch (HttpRequestException) { return false; }
                catch (TaskCanceledException) { return false; }
            }, up => up, FerAppHost.StartTimeout, "the gateway to answer");
            // The terminal: the dashboard's login, the product page, the admin key (none was set), which Redis and why.
            await Poll.UntilAsync(() => Task.FromResult(Text(log)), text => text.Contains("Fer is up"), TimeSpan.FromSeconds(30), "the product page line");
            var started = Text(log);
            Assert.Contains("Login to the dashboard at http://localhost:", started);
            Assert.Contains($"Fer is up: the product page is http://localhost:{gatewayPort}", started);
            Assert.Contains("No FER_ADMIN_KEY set: the admin key for this run is ", started);
            Assert.Contains("Redis: embedded Garnet, because Fer:Redis is 'garnet'", started);
            // ...and nothing more while the system idles (the dashboard's health probes, the training resource's stream).
            await Task.Delay(Idle);
            var idle = Text(log)[started.Length..];
            Assert.True(idle.Trim().Length == 0, $"the AppHost printed while idle:\n{idle}");

            var running = AppHostProcess.ProcessesWithEnvironment("FER_TEST_MARKER", marker);
            // At least: the AppHost, DCP, Garnet, the trainer, two replicas and the gateway.
            Assert.True(running.Count >= 7, $"only {running.Count} processes carry the marker: {string.Join(", ", running.Select(Describe))}");

            var timer = Stopwatch.StartNew();
            Assert.True(InterruptibleProcess.Interrupt(host)); // as Ctrl+C in a terminal
            Assert.True(host.WaitForExit(TimeSpan.FromSeconds(90)), $"the AppHost did not exit:\n{log}");
            var exited = timer.Elapsed;
            var left = await Poll.UntilAsync(() => Task.FromResult(AppHostProcess.ProcessesWithEnvironment("FER_TEST_MARKER", marker)),
                pids => pids.Count == 0, TimeSpan.FromSeconds(60), "every process of the system to exit");
            output.WriteLine($"{running.Count} processes ran; the AppHost exited {exited.TotalSeconds:F1} s after SIGINT, the last "
                + $"process {timer.Elapsed.TotalSeconds:F1} s after it");
        }
        finally
        {
            if (!host.HasExited) host.Kill(entireProcessTree: true);
        }
    }

    public void Dispose() => Directory.Delete(state, recursive: true);

    private static string Text(StringBuilder log)
    {
        lock (log) return log.ToString();
    }

    private static string Describe(int pid)
    {
        try { return $"{pid} {File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ')[..Math.Min(80, File.ReadAllText($"/proc/{pid}/cmdline").Length)]}"; }
        catch (IOException) { return $"{pid} (gone)"; }
    }
}
