using System.Diagnostics;
using System.Text;

namespace Fer.Tests.Infrastructure;

/// <summary>
/// A real Debian redis-server on a free loopback port, without persistence (--save "" --appendonly no), in a temporary
/// directory. <see cref="StopAsync"/> and <see cref="RestartAsync"/> (same port, empty data) are for "Redis went away"
/// tests. The server is killed on dispose, and also when the test host dies (a watchdog waits on the host's pipe).
/// </summary>
public sealed class RedisServerFixture : IRedisStoreFixture, IAsyncLifetime
{
    public const string Executable = "redis-server";

    // What redis-server logs once it listens: PING alone could be answered by someone else's server on the port.
    private const string ReadyLine = "Ready to accept connections";

    // redis-server runs in the background of a small shell; a watchdog in the same shell blocks reading the host's
    // pipe and kills redis-server when that pipe closes, so a crashed test host leaves no server behind.
    private const string Launcher = """
        exec 3<&0
        "$0" "$@" </dev/null &
        child=$!
        (read _ignored; kill "$child" 2>/dev/null) <&3 &
        exec 3<&-
        wait "$child"
        """;

    private readonly object outputLock = new();
    private readonly StringBuilder output = new();
    private string? directory;
    private string? executablePath;
    private Process? process;

    public string Name { get; private set; } = Executable;
    public int Port { get; private set; }
    public string ConnectionString => $"127.0.0.1:{Port}";
    public bool IsRunning => process is { HasExited: false };

    /// <summary>What the server printed (bounded), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (outputLock) return output.ToString();
        }
    }

    public async Task InitializeAsync()
    {
        executablePath = LocateExecutable(Executable);
        directory = Directory.CreateTempSubdirectory("fer-redis-").FullName;
        Name = $"{Executable} {await ReadVersionAsync(executablePath)}";
        for (var attempt = 1; ; attempt++)
        {
            Port = RedisStores.GetFreeLoopbackPort();
            try
            {
                await StartAsync();
                return;
            }
            catch (InvalidOperationException) when (attempt < 3 && Output.Contains("Address already in use", StringComparison.Ordinal))
            {
                // Another process took the port between our probe and the server's bind: try another one.
                await StopAsync();
            }
        }
    }

    /// <summary>Kills the server (as a crash would); clients see their connection drop.</summary>
    public async Task StopAsync()
    {
        if (process is null) return;
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        // Closing the pipe also ends a watchdog that outlived its shell (when redis-server exited on its own).
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        process.Dispose();
        process = null;
    }

    /// <summary>Stops the server and starts a fresh, empty one on the same port.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        if (directory is not null && Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    /// <summary>The full path of <paramref name="name"/> on PATH, or an error that says how to install it.</summary>
    public static string LocateExecutable(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException(
            $"'{name}' is not installed: it was not found on PATH ({path}). " +
            "The registry tests need a real Redis: install Debian's package with 'apt-get install redis-server'.");
    }

    private async Task StartAsync()
    {
        lock (outputLock) output.Clear();
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "-c", Launcher, executablePath!,
                     "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--bind", "127.0.0.1",
                     "--save", "",
                     "--appendonly", "no",
                     "--dir", directory!,
                     "--daemonize", "no",
                     "--logfile", "",
                     "--databases", "1",
                 })
            start.ArgumentList.Add(argument);

        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var started = process;
        await RedisStores.WaitUntilAnswersAsync(Name, Port, () =>
        {
            if (!started.HasExited) return null;
            started.StandardInput.Close();
            started.WaitForExit(1000); // lets the last lines of output arrive
            return $"it exited with code {started.ExitCode}. Its output:\n{Output}";
        }, ready: () => Output.Contains(ReadyLine, StringComparison.Ordinal) && !started.HasExited);
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (outputLock)
        {
            if (output.Length < 64 * 1024) output.AppendLine(line);
        }
    }

    private static async Task<string> ReadVersionAsync(string executable)
    {
        var start = new ProcessStartInfo(executable, "--version") { RedirectStandardOutput = true, UseShellExecute = false };
        using var version = Process.Start(start)!;
        var text = await version.StandardOutput.ReadToEndAsync();
        await version.WaitForExitAsync();
        var marker = text.IndexOf("v=", StringComparison.Ordinal);
        return marker < 0 ? text.Trim() : text[(marker + 2)..].Split(' ')[0];
    }
}
