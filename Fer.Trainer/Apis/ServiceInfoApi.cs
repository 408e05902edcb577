namespace Fer.Trainer.Apis;

public static class ServiceInfoApi
{
    public static IEndpointRouteBuilder MapServiceInfoApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", GetInfo).WithName("TrainerInfo").WithSummary("What this service is").WithTags("Info");
        return app;
    }

    private static IResult GetInfo() =>
        TypedResults.Ok(new { service = "Fer.Trainer", description = "Trains, evaluates and exports the FER model; owns the model registry's write side." });
}
