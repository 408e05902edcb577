using Fer.Registry.Extensions;
using Fer.ServiceDefaults.Security;
using Fer.Trainer.Apis;
using Fer.Trainer.Bundled;
using Fer.Trainer.Jobs;
using Fer.Trainer.Monitoring;
using Fer.Trainer.Retraining;
using Fer.Trainer.Rollouts;
using Fer.Trainer.Torch;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Fer.Trainer.Extensions;

public static class TrainerServiceExtensions
{
    public static TBuilder AddTrainerServices<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHostedService<TorchWarmup>();
        builder.Services.AddHealthChecks().AddCheck<TorchHealthCheck>("torch");
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<RedisUnavailable>();
        // A metric can be NaN (a loss before the first batch); it travels as "NaN" rather than failing the response.
        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.NumberHandling |= System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals);
        builder.AddAdminKeyAuthentication();
        builder.AddModelRegistry();
        builder.AddTrainingJobs();
        builder.AddBundledModel();
        builder.Services.AddHostedService<RolloutController>();
        builder.Services.TryAddSingleton<ReferenceAttacher>();
        builder.AddRetraining();
        return builder;
    }

    /// <summary>The trainer's pipeline and endpoints: ProblemDetails errors, the admin key, /health and /alive, /train
    /// (jobs, progress, cancel), /models (registry, promote, rollback, rollout), /feedback (and its retraining policy) and the service description at /. Every change
    /// needs the admin key.</summary>
    public static WebApplication MapTrainer(this WebApplication app)
    {
        app.UseProblemDetailsErrors();
        app.UseAdminKey();
        app.MapDefaultEndpoints();
        app.MapServiceInfoApi();
        app.MapTrainApi();
        app.MapModelsApi();
        app.MapRolloutApi();
        app.MapFeedbackApi();
        app.MapDriftApi();
        app.MapMonitoringReferenceApi();
        app.MapRetrainingApi();
        return app;
    }

    /// <summary>The training-jobs machinery: options ("Trainer" section, validated at start), the job store, the one-slot
    /// job manager and its host, and the trainer that runs a job (TorchSharp unless one is registered already).</summary>
    public static TBuilder AddTrainingJobs<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<TrainerOptions>().BindConfiguration(TrainerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<TrainerMetrics>();
        builder.Services.TryAddSingleton<TrainerPaths>();
        builder.Services.TryAddSingleton<TrainingDataLocator>();
        builder.Services.TryAddSingleton<TrainRequestParser>();
        builder.Services.TryAddSingleton<TrainJobStore>();
        builder.Services.TryAddSingleton<IModelTrainer, TorchModelTrainer>();
        builder.Services.TryAddSingleton<TrainJobServices>();
        builder.Services.TryAddSingleton<TrainJobManager>();
        builder.Services.TryAddSingleton<TrainJobHost>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TrainJobHost>());
        return builder;
    }
}
