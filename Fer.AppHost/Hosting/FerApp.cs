using Fer.AppHost.Redis;
using Fer.AppHost.Supervision;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fer.AppHost.Hosting;

/// <summary>The built system: the dashboard host with the supervisor inside it.</summary>
public sealed partial class FerApp(WebApplication app, RedisPlan? redis, string stateDirectory)
{
    public IServiceProvider Services => app.Services;

    public async Task<int> RunAsync()
    {
        var model = app.Services.GetRequiredService<AppModel>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Fer.AppHost");
        LogDashboard(logger, model.DashboardUrl, model.OtlpEndpoint);
        if (model.OtlpGrpcPort != 0) LogGrpc(logger, model.DashboardUrl.Host, model.OtlpGrpcPort);
        foreach (var resource in model.Resources.Where(resource => resource.Resource.FixedPort is not null))
            LogPublicEndpoint(logger, resource.Name, resource.Replicas[0].Endpoint ?? "");
        LogAdminKey(logger, model.AdminKey.Value, model.AdminKey.Source);
        if (redis is not null) LogRedis(logger, redis.Mode, redis.ConnectionString, redis.Reason);
        LogState(logger, stateDirectory);
        await app.RunAsync();
        return 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard: {Url} (OTLP/HTTP receiver: {Otlp})")]
    private static partial void LogDashboard(ILogger logger, Uri url, Uri otlp);

    [LoggerMessage(Level = LogLevel.Information, Message = "OTLP/gRPC receiver: http://{Host}:{Port}")]
    private static partial void LogGrpc(ILogger logger, string host, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource}: {Url}")]
    private static partial void LogPublicEndpoint(ILogger logger, string resource, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin key ({Source}): {Key}")]
    private static partial void LogAdminKey(ILogger logger, string key, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis: {Mode} at {Endpoint}, because {Reason}")]
    private static partial void LogRedis(ILogger logger, RedisMode mode, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "State folder: {Directory}")]
    private static partial void LogState(ILogger logger, string directory);
}
