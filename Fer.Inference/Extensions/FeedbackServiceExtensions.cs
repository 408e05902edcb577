using Fer.Inference.Feedback;

namespace Fer.Inference.Extensions;

public static class FeedbackServiceExtensions
{
    /// <summary>The in-memory window of answered faces, the recorder, the relay between replicas and the desk /feedback uses.</summary>
    public static IServiceCollection AddFeedback(this IServiceCollection services)
    {
        services.AddOptions<FeedbackWindowOptions>().BindConfiguration(FeedbackWindowOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<FeedbackWindow>();
        services.AddSingleton<FeedbackRecorder>();
        services.AddSingleton<FeedbackRelay>();
        services.AddHostedService(provider => provider.GetRequiredService<FeedbackRelay>());
        services.AddSingleton<FeedbackDesk>();
        return services;
    }
}
