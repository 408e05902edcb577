using Fer.Faces;
using Fer.Faces.Detection;
using Fer.Faces.Finding;
using Fer.Faces.Framing;
using Fer.Inference.Apis;
using Fer.Inference.Faces;
using Fer.Inference.Batching;
using Fer.Inference.Contracts;
using Fer.Inference.Models;
using Fer.Inference.Monitoring;
using Fer.Inference.Onnx;
using Fer.Inference.Prediction;
using Fer.Inference.Rollouts;
using Fer.Inference.Telemetry;
using Fer.Registry.Extensions;
using Microsoft.AspNetCore.Connections;
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
        services.AddOptions<OnnxOptions>().BindConfiguration(OnnxOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BatchingOptions>().BindConfiguration(BatchingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PredictionOptions>().BindConfiguration(PredictionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<PredictionOptions>, PredictionOptionsValidator>();
        services.AddOptions<FaceFinderOptions>().BindConfiguration(FaceFinderOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ReloadOptions>().BindConfiguration(ReloadOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ShadowAdmissionOptions>().BindConfiguration(ShadowAdmissionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, PredictionJsonContext.Default));
        services.AddSingleton<InferenceTelemetry>();
        services.AddSingleton<OnnxSessionFactory>();
        services.AddSingleton<ModelLoader>();
        services.AddSingleton<ModelHolder>();
        services.AddSingleton<IModelSource>(provider => provider.GetRequiredService<IOptions<ReloadOptions>>().Value.File is null
            ? ActivatorUtilities.CreateInstance<RegistryModelSource>(provider)
            : ActivatorUtilities.CreateInstance<FileModelSource>(provider));
        services.AddSingleton(provider =>
        {
            var holder = new ModelHolder(provider.GetRequiredService<InferenceTelemetry>(), ModelHolder.CandidateRole);
            return new CandidateModel(holder, ActivatorUtilities.CreateInstance<InferenceBatcher>(provider, holder));
        });
        // Not AddHostedService: it adds one hosted service per implementation type, and production's batcher is one already.
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<CandidateModel>().Batcher);
        services.AddSingleton<CandidateReconciler>();
        services.AddSingleton<RolloutEvidence>();
        services.AddSingleton(provider =>
        {
            var production = provider.GetRequiredService<InferenceBatcher>();
            return new ShadowAdmission(provider.GetRequiredService<IOptions<ShadowAdmissionOptions>>().Value, Environment.ProcessorCount,
                () => production.BusyTime, production.Lanes, provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<ModelRouter>();
        services.AddOptions<DriftOptions>().BindConfiguration(DriftOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ReferenceCatalog>();
        services.AddSingleton<DriftMonitor>();
        services.AddSingleton<DriftReporter>();
        services.AddSingleton<EvidencePublisher>();
        services.AddHostedService(provider => provider.GetRequiredService<EvidencePublisher>());
        services.AddSingleton<ModelReloader>();
        services.AddHostedService(provider => provider.GetRequiredService<ModelReloader>());
        services.AddSingleton<InferenceBatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<InferenceBatcher>());
        services.AddSingleton<MemoryBudget>();
        services.AddSingleton<IMemoryPoolFactory<byte>, BoundedBlockPoolFactory>();
        services.AddHostedService<IdleMemoryRelease>();
        // Kestrel buffers up to this much of a body per connection before the handler reads it, outside the budget:
        // with the default 1 MiB, a hundred connections waiting for their share would hold 100 MiB.
        services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBufferSize = 64 * 1024);
        services.AddSingleton(provider => FaceDetectorFactory.Create(provider.GetRequiredService<IOptions<FaceFinderOptions>>().Value,
            provider.GetRequiredService<IOptions<OnnxOptions>>().Value));
        services.AddSingleton(provider => new FaceFinder(provider.GetRequiredService<UltraFaceDetector>(), FaceFraming.Fitted,
            provider.GetRequiredService<IOptions<FaceFinderOptions>>().Value));
        services.AddSingleton<FaceLanes>();
        services.AddHostedService<FaceDetectionStartup>();
        services.AddSingleton<Predictor>();
        services.AddFeedback();

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

    /// <summary>/predict, the Open Inference Protocol (/v2/...), /rollout, /feedback and the service description at /.</summary>
    public static IEndpointRouteBuilder MapInferenceApi(this IEndpointRouteBuilder app)
    {
        app.MapServiceInfoApi();
        app.MapPredictApi();
        app.MapOpenInferenceApi();
        app.MapRolloutApi();
        app.MapFeedbackApi();
        app.MapDriftApi();
        return app;
    }
}
