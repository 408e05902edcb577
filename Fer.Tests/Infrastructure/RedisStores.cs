using System.Net;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;

namespace Fer.Tests.Infrastructure;

/// <summary>What the Redis and Garnet fixtures share: free ports, connecting, and waiting for PONG.</summary>
public static class RedisStores
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>A loopback port that is free now and that this process has not handed out before.</summary>
    public static int GetFreeLoopbackPort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOut)
            {
                if (HandedOut.Add(port)) return port;
            }
        }
    }

    /// <summary>
    /// Connects with admin commands allowed and generous timeouts for a busy machine; <paramref name="configure"/> can
    /// change that (e.g. <c>BacklogPolicy.FailFast</c>, so that calls fail at once while the server is down).
    /// </summary>
    public static async Task<ConnectionMultiplexer> ConnectAsync(string connectionString, Action<ConfigurationOptions>? configure = null)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AllowAdmin = true;
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 10_000;
        options.SyncTimeout = 30_000;
        options.AsyncTimeout = 30_000;
        configure?.Invoke(options);
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <summary>A new connection to <paramref name="store"/> (see <see cref="ConnectAsync(string, Action{ConfigurationOptions})"/>); the caller disposes it.</summary>
    public static Task<ConnectionMultiplexer> ConnectAsync(this IRedisStoreFixture store, Action<ConfigurationOptions>? configure = null) =>
        ConnectAsync(store.ConnectionString, configure);

    /// <summary>Sends a raw RESP PING; true when the answer is +PONG.</summary>
    public static async Task<bool> PingAsync(int port, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellation.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("*1\r\n$4\r\nPING\r\n"u8.ToArray(), cancellation.Token);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, cancellation.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Polls PING until it answers and <paramref name="ready"/> agrees (so that a stranger on the port does not count);
    /// <paramref name="failure"/> returns a reason to stop early (e.g. the process exited).
    /// </summary>
    public static async Task WaitUntilAnswersAsync(string name, int port, Func<string?> failure, Func<bool>? ready = null)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if ((ready is null || ready()) && await PingAsync(port, TimeSpan.FromSeconds(1))) return;
            if (failure() is { } reason) throw new InvalidOperationException($"{name} on port {port} did not start: {reason}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{name} on port {port} did not answer PING within {StartTimeout.TotalSeconds:F0} s");
            await Task.Delay(25);
        }
    }
}
