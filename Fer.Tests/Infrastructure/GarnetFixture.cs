using System.Globalization;
using System.Net.Sockets;
using Garnet;
using Garnet.common;

namespace Fer.Tests.Infrastructure;

/// <summary>
/// An embedded Microsoft.Garnet server, in this process, on a free loopback port, memory only. Its log memory is 1 GiB,
/// allocated as it fills: memory-only Garnet silently drops the oldest values once live data outgrows it (measured:
/// with 64 MiB, 200 MiB of 4 MiB values kept only about half), so keep what a test class stores well below that.
/// </summary>
public sealed class GarnetFixture : IRedisStoreFixture, IAsyncLifetime
{
    private GarnetServer? server;

    public string Name => $"garnet {typeof(GarnetServer).Assembly.GetName().Version?.ToString(3)}";
    public int Port { get; private set; }
    public string ConnectionString => $"127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            Port = RedisStores.GetFreeLoopbackPort();
            try
            {
                server = new GarnetServer(
                [
                    "--port", Port.ToString(CultureInfo.InvariantCulture),
                    "--bind", "127.0.0.1",
                    "--memory", "1g",
                    "--index", "16m",
                ]);
                server.Start();
                await RedisStores.WaitUntilAnswersAsync(Name, Port, () => null);
                return;
            }
            catch (GarnetException e) when (attempt < 3 && e.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                // Another process took the port between our probe and Garnet's bind: try another one.
                server?.Dispose();
                server = null;
            }
        }
    }

    public Task DisposeAsync()
    {
        server?.Dispose();
        server = null;
        return Task.CompletedTask;
    }
}
