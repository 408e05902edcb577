using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fer.Trainer.Retraining;

public static class RetrainingExtensions
{
    /// <summary>The retraining policy: its options ("Retraining" section, validated at start), its store, the parsers,
    /// the drift alarm trigger (production's alarm, held) and the background service that fires runs.</summary>
    public static TBuilder AddRetraining<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<RetrainingOptions>().BindConfiguration(RetrainingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<RetrainingStore>();
        builder.Services.TryAddSingleton<RetrainingTrainingSettings>();
        builder.Services.TryAddSingleton<RetrainingPolicyParser>();
        builder.Services.TryAddSingleton<IDriftAlarms, ProductionDriftAlarms>();
        builder.Services.TryAddSingleton<RetrainingController>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RetrainingController>());
        return builder;
    }
}
