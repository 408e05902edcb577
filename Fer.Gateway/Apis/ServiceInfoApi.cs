using Fer.Contracts;

namespace Fer.Gateway.Apis;

public static class ServiceInfoApi
{
    public static IEndpointRouteBuilder MapServiceInfoApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/info", GetInfo).WithName("GatewayInfo")
            .WithSummary("What this service is, and the model's classes in output order (the page's list)").WithTags("Info");
        return app;
    }

    private static IResult GetInfo() =>
        TypedResults.Ok(new
        {
            service = "Fer.Gateway",
            description = "The front door: routes /predict to inference and /train, /models to the trainer.",
            labels = EmotionLabels.Names,
        });
}
