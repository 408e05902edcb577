namespace Fer.Inference.Apis;

/// <summary>A request the service cannot take, with the status and the words for its ProblemDetails.</summary>
public sealed class RequestProblemException(int statusCode, string title, string detail) : Exception(detail)
{
    public int StatusCode { get; } = statusCode;

    public string Title { get; } = title;
}
