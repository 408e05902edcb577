using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace Fer.Inference.Apis;

/// <summary>Reads a whole request body under a size limit; beyond it: 413 with the limit in the message.</summary>
internal static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit) throw TooLarge(request.ContentLength, limit);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            sizeFeature.MaxRequestBodySize = limit;

        using var body = new MemoryStream((int)Math.Min(request.ContentLength ?? 64 * 1024, limit));
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (body.Length + read > limit) throw TooLarge(null, limit);
                body.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(null, limit);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return body.ToArray();
    }

    private static RequestProblemException TooLarge(long? size, long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "Request too large", size is { } known
            ? $"the request body is {known:N0} bytes; the limit is {limit:N0} bytes (Inference:MaxRequestBytes)"
            : $"the request body exceeds the limit of {limit:N0} bytes (Inference:MaxRequestBytes)");
}
