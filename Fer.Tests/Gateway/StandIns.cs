using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Fer.Tests.Gateway;

/// <summary>Stand-ins that answer with their own name, so a test can tell which replica served a request.</summary>
internal static class StandIns
{
    public static Task<StandInService> InferenceAsync(string name) => StandInService.StartAsync(name, (app, self) =>
    {
        app.MapPost("/predict", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            return Results.Ok(new { emotion = "happy", modelVersion = self.Name, bytes = body.Length });
        });
        app.MapGet("/v2/{**rest}", (string? rest) => Results.Ok(new { replica = self.Name, path = rest }));
    });

    public static Task<StandInService> TrainerAsync() => StandInService.StartAsync("trainer", (app, self) =>
    {
        app.MapPost("/train", () => Results.Accepted("/train/job-1", new { id = "job-1" }));
        app.MapGet("/train", () => Results.Ok(Array.Empty<object>()));
        app.MapGet("/train/{id}", (string id) => Results.Ok(new { id, state = "running" }));
        app.MapPost("/train/{id}/cancel", (string id) => Results.Ok(new { id, state = "cancelled" }));
        app.MapGet("/models", () => Results.Ok(Array.Empty<object>()));
        app.MapGet("/models/{version}", (string version) => Results.Ok(new { version }));
        app.MapGet("/models/{version}/onnx", () => Results.Bytes([8, 7], "application/octet-stream"));
        app.MapPost("/models/{version}/promote", (string version) => Results.Ok(new { version, production = true }));
        app.MapPost("/models/rollback", () => Results.Ok(new { version = "previous" }));
        app.MapPost("/models/{version}/monitoring-reference", (string version) => Results.Created($"/models/{version}/monitoring-reference", new { version, origin = "attached" }));
    });
}
