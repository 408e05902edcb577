using Fer.Inference.Faces;

namespace Fer.Inference.Apis;

public static class ServiceInfoApi
{
    public static IEndpointRouteBuilder MapServiceInfoApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", GetInfo).WithName("InferenceInfo").WithSummary("What this service is").WithTags("Info");
        return app;
    }

    private static IResult GetInfo(FaceLanes faces) => TypedResults.Ok(new
    {
        service = "Fer.Inference",
        description = "Finds the faces in images and serves the production FER model with ONNX Runtime.",
        faceDetector = faces.Finder.Detector.Name,
    });
}
