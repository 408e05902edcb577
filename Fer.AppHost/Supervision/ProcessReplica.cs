using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Fer.AppHost.Supervision;

/// <summary>
/// A replica that is an OS process: started with its environment, console captured, health probed, restarted with
/// exponential backoff when it exits on its own, and stopped with SIGTERM, then a kill of its whole tree.
/// </summary>
public sealed class ProcessReplica(string resourceName, string name, string? endpoint, ProcessSpec spec, IHealthProbe probe,
    SupervisionSettings settings, ConsoleLog console, TimeProvider time, ILogger logger, ChildRegistry? registry = null)
    : Replica(resourceName, name, endpoint, probe, settings, console, time, logger)
{
    /// <summary>Names removed from the inherited environment: they would fight ASPNETCORE_URLS.</summary>
    private static readonly string[] Scrubbed = ["ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "HTTP_PORTS", "HTTPS_PORTS", "DOTNET_URLS"];

    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _noRestarts = new();
    private readonly TaskCompletionSource _launched = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;
    private Task? _supervision;
    private volatile bool _restartRequested;

    public ProcessSpec Spec { get; } = spec;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _supervision ??= Task.Run(() => SuperviseAsync(_stopping.Token), CancellationToken.None);
        return _launched.Task.WaitAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_supervision is null)
        {
            State = ReplicaState.Stopped;
            return;
        }
        State = ReplicaState.Stopping;
        await _stopping.CancelAsync();
        await _supervision.WaitAsync(cancellationToken);
        State = ReplicaState.Stopped;
    }

    /// <summary>The AppHost is going down: a process that exits now (a terminal's Ctrl+C reaches every process of the
    /// group) is not restarted; StopAsync still stops the rest in order.</summary>
    public override void SuppressRestarts() => _noRestarts.Cancel();

    public override async Task RestartAsync(CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested) return;
        _restartRequested = true;
        Note("restart requested");
        if (_process is { } process) await TerminateAsync(process).WaitAsync(cancellationToken);
    }

    private async Task SuperviseAsync(CancellationToken stopping)
    {
        var delay = Settings.RestartDelay;
        while (!stopping.IsCancellationRequested)
        {
            State = ReplicaState.Starting;
            var began = Time.GetTimestamp();
            Process process;
            try
            {
                process = Launch();
            }
            catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
            {
                State = ReplicaState.FailedToStart;
                Note($"could not start '{Spec.FileName}': {e.Message}; retrying in {delay.TotalSeconds:0.#} s");
                _launched.TrySetResult();
                if (!await DelayAsync(delay, stopping)) break;
                delay = Next(delay);
                continue;
            }

            _process = process;
            Pid = process.Id;
            registry?.Add(process.Id);
            StartedAt = Time.GetUtcNow();
            State = ReplicaState.Running;
            Note($"started pid {process.Id}: {Spec.FileName} {string.Join(' ', Spec.Arguments)}");
            _launched.TrySetResult();

            using (var probing = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                var health = ProbeHealthAsync(probing.Token);
                try
                {
                    await process.WaitForExitAsync(stopping);
                }
                catch (OperationCanceledException)
                {
                    // Stopping: handled below.
                }
                await probing.CancelAsync();
                await health;
            }
            if (stopping.IsCancellationRequested)
            {
                await TerminateAsync(process);
                Exited(process);
                break;
            }
            Exited(process);
            if (_noRestarts.IsCancellationRequested)
            {
                Note($"exited with code {LastExitCode} while the AppHost stops: not restarted");
                break;
            }

            if (_restartRequested)
            {
                _restartRequested = false;
                delay = Settings.RestartDelay;
                Restarts++;
                continue;
            }
            if (Time.GetElapsedTime(began) >= Settings.StableRun) delay = Settings.RestartDelay;
            State = ReplicaState.Restarting;
            NextStartAt = Time.GetUtcNow() + delay;
            Note($"exited with code {LastExitCode}; restarting in {delay.TotalSeconds:0.#} s");
            if (!await DelayAsync(delay, stopping)) break;
            delay = Next(delay);
            Restarts++;
        }
        State = ReplicaState.Stopped;
    }

    private Process Launch()
    {
        var start = new ProcessStartInfo(Spec.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = Spec.WorkingDirectory,
        };
        foreach (var argument in Spec.Arguments) start.ArgumentList.Add(argument);
        foreach (var variable in Scrubbed) start.Environment.Remove(variable);
        foreach (var (key, value) in Spec.Environment) start.Environment[key] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.Append(ConsoleLog.StdOut, e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Append(ConsoleLog.StdErr, e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Exited(Process process)
    {
        process.WaitForExit(); // drains the redirected output
        if (Pid is { } pid) registry?.Remove(pid);
        LastExitCode = process.ExitCode;
        Pid = null;
        _process = null;
        process.Dispose();
        if (_stopping.IsCancellationRequested) Note($"stopped (exit code {LastExitCode})");
    }

    /// <summary>SIGTERM, a grace period, then the whole process tree is killed.</summary>
    private async Task TerminateAsync(Process process)
    {
        try
        {
            if (process.HasExited) return;
            var pid = process.Id;
            if (!ProcessSignals.Send(pid, ProcessSignals.SigTerm)) process.Kill(entireProcessTree: true);
            using var grace = new CancellationTokenSource(Settings.StopTimeout);
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                Note($"pid {pid} still running {Settings.StopTimeout.TotalSeconds:0.#} s after SIGTERM: killing its process tree");
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
        catch (InvalidOperationException)
        {
            // Already exited and disposed by the supervision loop.
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(stopping, _noRestarts.Token);
            await Task.Delay(delay, Time, either.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private TimeSpan Next(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, Settings.MaxRestartDelay.Ticks));
}
