using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fer.AppHost.Otlp;

/// <summary>
/// The OTLP/gRPC receiver: the three unary Export methods, over HTTP/2 cleartext. gRPC framing is simple enough to do
/// by hand (a 5-byte prefix: compressed flag, big-endian length), so no gRPC stack or generated code is needed.
/// </summary>
public static class OtlpGrpcApi
{
    public const string ContentType = "application/grpc";
    public const string TracesMethod = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    public const string LogsMethod = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
    public const string MetricsMethod = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";

    // grpc-status codes (grpc/doc/statuscodes.md)
    private const string Ok = "0";
    private const string InvalidArgument = "3";
    private const string ResourceExhausted = "8";
    private const string Unimplemented = "12";

    public static IEndpointRouteBuilder MapOtlpGrpcApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(TracesMethod, (HttpContext context, OtlpIngest ingest) => ExportAsync(context, ingest, OtlpSignal.Traces)).ExcludeFromDescription();
        app.MapPost(LogsMethod, (HttpContext context, OtlpIngest ingest) => ExportAsync(context, ingest, OtlpSignal.Logs)).ExcludeFromDescription();
        app.MapPost(MetricsMethod, (HttpContext context, OtlpIngest ingest) => ExportAsync(context, ingest, OtlpSignal.Metrics)).ExcludeFromDescription();
        return app;
    }

    private static async Task ExportAsync(HttpContext context, OtlpIngest ingest, OtlpSignal signal)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        var (status, message) = await ReceiveAsync(context.Request, ingest, signal);
        if (status == Ok)
        {
            // An empty Export*ServiceResponse, framed: not compressed, length 0.
            await response.Body.WriteAsync(new byte[5], context.RequestAborted);
        }
        response.AppendTrailer("grpc-status", status);
        if (message is not null) response.AppendTrailer("grpc-message", Uri.EscapeDataString(message));
    }

    private static async Task<(string Status, string? Message)> ReceiveAsync(HttpRequest request, OtlpIngest ingest, OtlpSignal signal)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var frame = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (frame.Length < 5) return (InvalidArgument, "the gRPC message frame is shorter than its 5-byte prefix");
        var compressed = frame.Span[0] == 1;
        var length = BinaryPrimitives.ReadUInt32BigEndian(frame.Span[1..5]);
        if (length > OtlpHttpApi.MaxRequestBytes) return (ResourceExhausted, $"message of {length} bytes is too large");
        if (length != frame.Length - 5) return (InvalidArgument, $"the frame announces {length} bytes but holds {frame.Length - 5}");
        var payload = frame[5..];
        if (compressed)
        {
            var encoding = request.Headers["grpc-encoding"].ToString();
            if (encoding != "gzip") return (Unimplemented, $"grpc-encoding '{encoding}' is not supported (gzip or none)");
            try
            {
                using var gzip = new GZipStream(new MemoryStream(payload.ToArray()), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                await gzip.CopyToAsync(plain);
                payload = plain.ToArray();
            }
            catch (InvalidDataException e)
            {
                return (InvalidArgument, $"bad gzip: {e.Message}");
            }
        }
        try
        {
            ingest.Ingest(signal, payload.Span);
            return (Ok, null);
        }
        catch (ProtoException e)
        {
            return (InvalidArgument, e.Message);
        }
    }
}
