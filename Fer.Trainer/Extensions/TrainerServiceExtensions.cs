using Fer.Trainer.Torch;

namespace Fer.Trainer.Extensions;

public static class TrainerServiceExtensions
{
    public static TBuilder AddTrainerServices<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHostedService<TorchWarmup>();
        builder.Services.AddHealthChecks().AddCheck<TorchHealthCheck>("torch");
        return builder;
    }
}
