namespace Fer.Inference.Apis;

public static class PredictApi
{
    public static IEndpointRouteBuilder MapPredictApi(this IEndpointRouteBuilder app)
    {
        var endpoint = ActivatorUtilities.CreateInstance<PredictEndpoint>(app.ServiceProvider);
        app.MapPost(PredictEndpoint.Route, endpoint.HandleAsync)
            .WithTags("Predict")
            .WithName("Predict")
            .WithSummary("The emotion of one face image (raw body), or of each file of a multipart/form-data body, in order")
            // No Accepts<T> metadata: routing would answer a wrong Content-Type with a bare 415 before the handler can
            // say which types it takes.
            .WithDescription($"Body: one image ({string.Join(", ", ImageUpload.ImageTypes)}) or multipart/form-data with one or more files.");
        return app;
    }
}
