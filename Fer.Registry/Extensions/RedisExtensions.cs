using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Fer.Registry.Extensions;

public static class RedisExtensions
{
    /// <summary>Aspire's connection-string name for the registry's Redis (ConnectionStrings__redis).</summary>
    public const string ConnectionName = "redis";
    public const string DefaultConnectionString = "localhost:6379";

    /// <summary>
    /// Registers one shared, lazily connecting <see cref="IConnectionMultiplexer"/> (it keeps retrying in the background,
    /// so a service starts before Redis does) and a readiness check that pings it.
    /// </summary>
    public static TBuilder AddRedis<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName) ?? DefaultConnectionString;
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => Connect(connectionString));
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(ConnectionName);
        return builder;
    }

    public static ConnectionMultiplexer Connect(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 5000);
        return ConnectionMultiplexer.Connect(options);
    }
}
