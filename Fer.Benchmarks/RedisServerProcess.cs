using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Fer.Benchmarks;

/// <summary>Debian's redis-server on a free loopback port, without persistence, for a benchmark's registry; killed when
/// disposed.</summary>
public sealed class RedisServerProcess : IDisposable
{
    private readonly Process process;

    private RedisServerProcess(Process process, int port)
    {
        this.process = process;
        ConnectionString = $"127.0.0.1:{port}";
    }

    public string ConnectionString { get; }

    public static async Task<RedisServerProcess> StartAsync(TimeSpan timeout)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ArgumentException($"redis-server is needed for the registry ({e.Message}): apt-get install redis-server", e);
        }
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.Contains("Ready to accept connections", StringComparison.Ordinal) == true) ready.TrySetResult();
        };
        process.BeginOutputReadLine();
        var server = new RedisServerProcess(process, port);
        try
        {
            await ready.Task.WaitAsync(timeout);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill();
        process.WaitForExit();
        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
