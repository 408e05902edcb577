namespace Fer.Tests.Infrastructure;

/// <summary>A running Redis-compatible server on a loopback port (real redis-server, or embedded Garnet).</summary>
public interface IRedisStoreFixture
{
    /// <summary>What runs, for messages ("redis-server 7.0.15", "garnet 2.2.8").</summary>
    string Name { get; }

    int Port { get; }

    /// <summary>"127.0.0.1:port": the value of ConnectionStrings__redis for a service under test.</summary>
    string ConnectionString { get; }
}
