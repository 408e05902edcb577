using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Fer.AppHost.Otlp;

/// <summary>The OTLP/HTTP receiver (binary protobuf, optionally gzip): POST /v1/traces, /v1/logs, /v1/metrics.</summary>
public static class OtlpHttpApi
{
    public const string ProtobufContentType = "application/x-protobuf";
    public const int MaxRequestBytes = 32 * 1024 * 1024;

    public static IEndpointRouteBuilder MapOtlpHttpApi(this IEndpointRouteBuilder app)
    {
        var otlp = app.MapGroup("/v1").WithTags("OTLP");
        otlp.MapPost("/traces", (HttpRequest request, OtlpIngest ingest) => ReceiveAsync(request, ingest, OtlpSignal.Traces))
            .WithName("OtlpTraces").WithSummary("OTLP/HTTP export of spans");
        otlp.MapPost("/logs", (HttpRequest request, OtlpIngest ingest) => ReceiveAsync(request, ingest, OtlpSignal.Logs))
            .WithName("OtlpLogs").WithSummary("OTLP/HTTP export of log records");
        otlp.MapPost("/metrics", (HttpRequest request, OtlpIngest ingest) => ReceiveAsync(request, ingest, OtlpSignal.Metrics))
            .WithName("OtlpMetrics").WithSummary("OTLP/HTTP export of metric points");
        return app;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ReceiveAsync(HttpRequest request, OtlpIngest ingest, OtlpSignal signal)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(mediaType, ProtobufContentType, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type",
                detail: $"this receiver takes OTLP/HTTP as binary protobuf ({ProtobufContentType}); got '{request.ContentType ?? "none"}'");
        }
        var encoding = request.Headers.ContentEncoding.ToString();
        if (encoding is not ("" or "identity" or "gzip"))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content encoding",
                detail: $"Content-Encoding '{encoding}' is not supported (identity or gzip)");
        }

        byte[] body;
        try
        {
            body = await ReadBodyAsync(encoding == "gzip" ? new GZipStream(request.Body, CompressionMode.Decompress) : request.Body, request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad gzip body", detail: e.Message);
        }
        catch (ProtoException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large", detail: e.Message);
        }

        try
        {
            ingest.Ingest(signal, body);
        }
        catch (ProtoException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"Malformed OTLP {signal.ToString().ToLowerInvariant()} request", detail: e.Message);
        }
        // An empty Export*ServiceResponse: everything was accepted.
        return TypedResults.File(Array.Empty<byte>(), ProtobufContentType);
    }

    private static async Task<byte[]> ReadBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxRequestBytes) throw new ProtoException($"the request is over {MaxRequestBytes / (1024 * 1024)} MB");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
