using Microsoft.Extensions.Logging;
using Fer.Tests.Infrastructure;

namespace Fer.Tests.Trainer.Apis;

/// <summary>One real redis-server and one tiny FER data set for a test class; each test uses its own key prefix.</summary>
public sealed class TrainerFixture : IAsyncLifetime
{
    public RedisServerFixture Redis { get; } = new();

    public TinyFerData Data { get; } = new();

    public Task InitializeAsync() => Redis.InitializeAsync();

    public async Task DisposeAsync()
    {
        await Redis.DisposeAsync();
        Data.Dispose();
    }

    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..10];

    public Task<TrainerTestApp> StartAppAsync(string prefix, IDictionary<string, string?>? extra = null, ILoggerProvider? logs = null) =>
        TrainerTestApp.StartAsync(Redis.ConnectionString, prefix, Data.Root, extra, logs);
}
