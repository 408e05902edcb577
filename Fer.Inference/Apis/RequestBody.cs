using System.Buffers;
using Fer.Inference.Prediction;
using Microsoft.AspNetCore.Http.Features;

namespace Fer.Inference.Apis;

/// <summary>Reads a whole request body under a size limit and a share of the replica's memory budget; beyond the
/// limit: 413 with the limit in the message; a body that arrives too slowly or not at all: 408 or 400, as the client's
/// fault it is.</summary>
internal static class RequestBody
{
    public static async Task<BufferedBody> ReadAsync(HttpRequest request, long limit, MemoryBudget budget, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit) throw TooLarge(request.ContentLength, limit);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            sizeFeature.MaxRequestBodySize = limit;

        // Without a Content-Length the body may grow to the limit, so that much is reserved.
        var lease = await budget.ReserveBodyAsync(request.ContentLength ?? limit, cancellationToken);
        try
        {
            return new BufferedBody(await ReadAllAsync(request, limit, cancellationToken), lease);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    private static async Task<byte[]> ReadAllAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream((int)Math.Min(request.ContentLength ?? 64 * 1024, limit));
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
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
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            throw new RequestProblemException(e.StatusCode, "Request body too slow",
                "the request body arrived too slowly; send it at a steady rate, or as a whole");
        }
        catch (BadHttpRequestException e)
        {
            throw new RequestProblemException(StatusCodes.Status400BadRequest, "Incomplete request body",
                $"the request body could not be read: {e.Message}");
        }
        catch (IOException)
        {
            // The connection went away under the read (ConnectionResetException is an IOException).
            throw new RequestProblemException(StatusCodes.Status499ClientClosedRequest, "Client closed request",
                "the connection closed before the request body was complete");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return body.Length == body.Capacity ? body.GetBuffer() : body.ToArray();
    }

    private static RequestProblemException TooLarge(long? size, long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "Request too large", size is { } known
            ? $"the request body is {known:N0} bytes; the limit is {limit:N0} bytes (Inference:MaxRequestBytes)"
            : $"the request body exceeds the limit of {limit:N0} bytes (Inference:MaxRequestBytes)");
}
