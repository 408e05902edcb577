namespace Fer.Inference.Apis;

public static class ServiceInfoApi
{
    public static IEndpointRouteBuilder MapServiceInfoApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", GetInfo).WithName("InferenceInfo").WithSummary("What this service is").WithTags("Info");
        return app;
    }

    private static IResult GetInfo() =>
        TypedResults.Ok(new { service = "Fer.Inference", description = "Serves the production FER model with ONNX Runtime." });
}
