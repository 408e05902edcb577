using Fer.Inference.Apis;
using Fer.Inference.Batching;
using Fer.Inference.Models;
using Fer.Inference.Onnx;
using Fer.Inference.Prediction;
using Fer.Inference.Telemetry;
using Fer.Registry.Extensions;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Fer.Inference.Extensions;

public static class InferenceServiceExtensions
{
    /// <summary>ONNX Runtime sessions, dynamic batching, hot reload from the registry (or Inference:Models:File), the
    /// model-readiness check, and Redis demoted to "degraded" in health (serving never depends on it).</summary>
    public static TBuilder AddInferenceServices<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddModelRegistry();
        var services = builder.Services;
        AddValidatedOptions<OnnxOptions>(services, OnnxOptions.Section, OnnxOptions.Validate);
        AddValidatedOptions<BatchingOptions>(services, BatchingOptions.Section, BatchingOptions.Validate);
        AddValidatedOptions<PredictionOptions>(services, PredictionOptions.Section, PredictionOptions.Validate);
        AddValidatedOptions<ReloadOptions>(services, ReloadOptions.Section, ReloadOptions.Validate);
        services.AddSingleton<IValidateOptions<PredictionOptions>>(provider => new OptionsValidation<PredictionOptions>(prediction =>
        {
            var maxBatch = provider.GetRequiredService<IOptions<BatchingOptions>>().Value.MaxBatchSize;
            return prediction.MaxImagesPerRequest > maxBatch
                ? [$"{PredictionOptions.Section}:MaxImagesPerRequest ({prediction.MaxImagesPerRequest}) must not exceed {BatchingOptions.Section}:MaxBatchSize ({maxBatch}): a request's images run in one batch"]
                : [];
        }));

        services.AddProblemDetails();
        services.AddSingleton<InferenceTelemetry>();
        services.AddSingleton<OnnxSessionFactory>();
        services.AddSingleton<ModelLoader>();
        services.AddSingleton<ModelHolder>();
        services.AddSingleton<IModelSource>(provider => provider.GetRequiredService<IOptions<ReloadOptions>>().Value.File is null
            ? ActivatorUtilities.CreateInstance<RegistryModelSource>(provider)
            : ActivatorUtilities.CreateInstance<FileModelSource>(provider));
        services.AddSingleton<ModelReloader>();
        services.AddHostedService(provider => provider.GetRequiredService<ModelReloader>());
        services.AddSingleton<InferenceBatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<InferenceBatcher>());
        services.AddSingleton<MemoryBudget>();
        // Kestrel buffers up to this much of a body per connection before the handler reads it, outside the budget:
        // with the default 1 MiB, a hundred connections waiting for their share would hold 100 MiB.
        services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBufferSize = 64 * 1024);
        services.AddSingleton<Predictor>();

        services.AddHealthChecks().AddCheck<ModelReadinessHealthCheck>(ModelReadinessHealthCheck.Name);
        services.Configure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations.Where(r => r.Name == RedisExtensions.HealthCheckName))
            {
                var factory = registration.Factory;
                registration.Factory = provider => new DegradedWhenUnhealthy(factory(provider));
            }
        });
        return builder;
    }

    /// <summary>/predict, the Open Inference Protocol (/v2/...) and the service description at /.</summary>
    public static IEndpointRouteBuilder MapInferenceApi(this IEndpointRouteBuilder app)
    {
        app.MapServiceInfoApi();
        app.MapPredictApi();
        app.MapOpenInferenceApi();
        return app;
    }

    private static void AddValidatedOptions<TOptions>(IServiceCollection services, string section, Func<TOptions, IEnumerable<string>> validate)
        where TOptions : class
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new OptionsValidation<TOptions>(validate));
    }
}
