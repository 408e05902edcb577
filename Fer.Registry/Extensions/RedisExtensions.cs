using Microsoft.Extensions.Hosting;

namespace Fer.Registry.Extensions;

public static class RedisExtensions
{
    /// <summary>Aspire's connection-string name for the registry's Redis (ConnectionStrings__redis).</summary>
    public const string ConnectionName = "redis";
    public const string DefaultConnectionString = "localhost:6379";

    /// <summary>The name Aspire.StackExchange.Redis gives its readiness check (a PING).</summary>
    public const string HealthCheckName = "StackExchange.Redis";

    /// <summary>
    /// Aspire's Redis client integration: one shared <see cref="StackExchange.Redis.IConnectionMultiplexer"/>, its
    /// readiness check and its tracing. It connects without giving up (a service starts before Redis does and keeps
    /// retrying in the background); with no connection string it tries localhost:6379.
    /// </summary>
    public static TBuilder AddRedis<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddRedisClient(ConnectionName,
            settings => settings.ConnectionString ??= DefaultConnectionString,
            options =>
            {
                options.AbortOnConnectFail = false;
                options.ConnectTimeout = Math.Min(options.ConnectTimeout, 5000);
            });
        return builder;
    }
}
