using Fer.Registry.Feedback;
using Fer.Registry.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Fer.Registry.Extensions;

public static class RegistryExtensions
{
    /// <summary>
    /// Registers <see cref="ModelRegistry"/> (a singleton) with its options from the "Registry" section, validated at
    /// start, and the shared Redis connection (<see cref="RedisExtensions.AddRedis{TBuilder}"/>) unless one is registered.
    /// </summary>
    public static TBuilder AddModelRegistry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (!builder.Services.Any(service => service.ServiceType == typeof(IConnectionMultiplexer)))
            builder.AddRedis();
        builder.Services.AddOptions<RegistryOptions>().BindConfiguration(RegistryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<RegistryMetrics>();
        builder.Services.TryAddSingleton<ModelRegistry>();
        builder.Services.TryAddSingleton<Rollouts.RolloutRegistry>();
        builder.Services.AddOptions<FeedbackOptions>().BindConfiguration(FeedbackOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<FeedbackStore>();
        builder.Services.TryAddSingleton<Monitoring.DriftRegistry>();
        builder.Services.TryAddSingleton<Monitoring.MonitoringReferenceStore>();
        return builder;
    }
}
