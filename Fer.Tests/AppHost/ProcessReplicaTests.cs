using System.Diagnostics;
using Fer.AppHost.Supervision;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fer.Tests.AppHost;

/// <summary>Supervision of real (tiny, shell) processes: restart with backoff, console capture, graceful and forced stop.</summary>
public sealed class ProcessReplicaTests
{
    private static readonly SupervisionSettings Fast = new(
        HealthInterval: TimeSpan.FromMilliseconds(100), StopTimeout: TimeSpan.FromSeconds(1),
        RestartDelay: TimeSpan.FromMilliseconds(100), MaxRestartDelay: TimeSpan.FromMilliseconds(400));

    [Fact]
    public async Task CrashingProcess_IsRestartedWithBackoff_AndItsConsoleIsKept()
    {
        var replica = Shell("echo out-$$; echo err >&2; exit 3");

        await replica.StartAsync(CancellationToken.None);
        await WaitUntil(() => replica.Restarts >= 3, TimeSpan.FromSeconds(30));
        await replica.StopAsync(CancellationToken.None);

        var lines = replica.Console.Read();
        Assert.Contains(lines, l => l.Stream == ConsoleLog.StdErr && l.Text == "err");
        Assert.True(lines.Count(l => l.Stream == ConsoleLog.StdOut && l.Text.StartsWith("out-", StringComparison.Ordinal)) >= 3);
        Assert.Contains(lines, l => l.Stream == ConsoleLog.System && l.Text.Contains("exited with code 3; restarting in 0.4 s", StringComparison.Ordinal));
        Assert.Equal(ReplicaState.Stopped, replica.State);
    }

    [Fact]
    public async Task Stop_SendsSigterm_AndAGracefulProcessExitsAtOnce()
    {
        var replica = Shell("trap 'echo bye; exit 0' TERM; while true; do sleep 0.05; done");
        await replica.StartAsync(CancellationToken.None);
        var pid = replica.Pid!.Value;
        await Task.Delay(300);

        var timer = Stopwatch.StartNew();
        await replica.StopAsync(CancellationToken.None);

        Assert.True(timer.Elapsed < Fast.StopTimeout, $"took {timer.Elapsed}");
        Assert.Equal(0, replica.LastExitCode);
        Assert.Contains(replica.Console.Read(), l => l.Text == "bye");
        Assert.False(AppHostProcess.IsAlive(pid));
    }

    [Fact]
    public async Task Stop_KillsTheProcessTree_WhenSigtermIsIgnored()
    {
        // The shell ignores SIGTERM and has a child of its own: both must go.
        var replica = Shell("trap '' TERM; sleep 300 & echo child=$!; wait");
        await replica.StartAsync(CancellationToken.None);
        await WaitUntil(() => replica.Console.Read().Any(l => l.Text.StartsWith("child=", StringComparison.Ordinal)), TimeSpan.FromSeconds(10));
        var child = int.Parse(replica.Console.Read().First(l => l.Text.StartsWith("child=", StringComparison.Ordinal)).Text[6..], System.Globalization.CultureInfo.InvariantCulture);

        await replica.StopAsync(CancellationToken.None);

        Assert.Equal(137, replica.LastExitCode);
        Assert.Contains(replica.Console.Read(), l => l.Text.Contains("killing its process tree", StringComparison.Ordinal));
        await WaitUntil(() => !AppHostProcess.IsAlive(child), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task RestartRequest_StartsANewProcessAtOnce()
    {
        var replica = Shell("trap 'exit 0' TERM; while true; do sleep 0.05; done");
        await replica.StartAsync(CancellationToken.None);
        var first = replica.Pid;

        await replica.RestartAsync(CancellationToken.None);
        await WaitUntil(() => replica.Pid is { } pid && pid != first, TimeSpan.FromSeconds(10));
        await replica.StopAsync(CancellationToken.None);

        Assert.Equal(1, replica.Restarts);
    }

    private static ProcessReplica Shell(string script) =>
        new("test", "test-0", null, new ProcessSpec("/bin/sh", ["-c", script], Path.GetTempPath(), new Dictionary<string, string>()),
            new AlwaysHealthy(), Fast, new ConsoleLog(1000, TimeProvider.System), TimeProvider.System, NullLogger.Instance);

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var timer = Stopwatch.StartNew();
        while (!condition())
        {
            if (timer.Elapsed > timeout) throw new TimeoutException($"condition not met within {timeout}");
            await Task.Delay(50);
        }
    }

    private sealed class AlwaysHealthy : IHealthProbe
    {
        public Task<HealthResult> ProbeAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new HealthResult(HealthState.Healthy, "ok"));
    }
}
