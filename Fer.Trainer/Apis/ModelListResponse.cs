namespace Fer.Trainer.Apis;

/// <summary>The body of <c>GET /models</c>: the production version and every version, newest first.</summary>
public sealed record ModelListResponse(string? Production, IReadOnlyList<ModelVersionResponse> Versions);
