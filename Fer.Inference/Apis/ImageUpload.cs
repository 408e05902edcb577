using Fer.Inference.Prediction;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Fer.Inference.Apis;

/// <summary>The images of a /predict request: one raw image body, or the files of a multipart/form-data body in order;
/// holds the body's share of the memory budget until disposed.</summary>
internal sealed class ImageUpload(IReadOnlyList<byte[]> images, BufferedBody body) : IDisposable
{
    public static readonly string[] ImageTypes = ["image/jpeg", "image/png", "image/webp", "image/bmp", "image/gif"];

    private const string Accepted = "send one image as the body (Content-Type image/jpeg, image/png, image/webp, image/bmp or image/gif) "
        + "or one or more files as multipart/form-data";

    public IReadOnlyList<byte[]> Images { get; } = images;

    public void Dispose() => body.Dispose();

    public static async Task<ImageUpload> ReadAsync(HttpRequest request, PredictionOptions limits, MemoryBudget budget, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || contentType.MediaType.Value is not { } mediaType)
            throw Unsupported(request.ContentType is null ? "the request has no Content-Type" : $"Content-Type '{request.ContentType}' is not valid");

        if (mediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
            if (string.IsNullOrEmpty(boundary))
                throw new RequestProblemException(StatusCodes.Status400BadRequest, "Malformed multipart body", "the multipart/form-data Content-Type has no boundary");
            var body = await RequestBody.ReadAsync(request, limits.MaxRequestBytes, budget, cancellationToken);
            try
            {
                return new ImageUpload(await ReadFilesAsync(body.Bytes, boundary, limits.MaxImagesPerRequest, cancellationToken), body);
            }
            catch
            {
                body.Dispose();
                throw;
            }
        }

        if (!IsImageType(mediaType)) throw Unsupported($"Content-Type '{mediaType}' is not supported");
        var image = await RequestBody.ReadAsync(request, limits.MaxRequestBytes, budget, cancellationToken);
        if (image.Bytes.Length == 0)
        {
            image.Dispose();
            throw new RequestProblemException(StatusCodes.Status400BadRequest, "Empty image", $"the request body is empty; {Accepted}");
        }
        return new ImageUpload([image.Bytes], image);
    }

    private static async Task<List<byte[]>> ReadFilesAsync(byte[] body, string boundary, int maxImages, CancellationToken cancellationToken)
    {
        var files = new List<byte[]>();
        var reader = new MultipartReader(boundary, new MemoryStream(body, writable: false));
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition())
                    continue; // plain form fields carry no image
                var name = disposition.FileName.HasValue ? HeaderUtilities.RemoveQuotes(disposition.FileName).Value : "(unnamed)";
                if (section.ContentType is { } partType && MediaTypeHeaderValue.TryParse(partType, out var parsed)
                    && parsed.MediaType.Value is { } partMediaType && !IsImageType(partMediaType)
                    && !partMediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase))
                    throw Unsupported($"file {files.Count + 1} ('{name}') has Content-Type '{partMediaType}'");
                if (files.Count == maxImages)
                    throw new RequestProblemException(StatusCodes.Status413PayloadTooLarge, "Too many images",
                        $"a request may carry at most {maxImages} images (Inference:MaxImagesPerRequest)");
                using var file = new MemoryStream();
                await section.Body.CopyToAsync(file, cancellationToken);
                if (file.Length == 0)
                    throw new RequestProblemException(StatusCodes.Status400BadRequest, "Empty image", $"file {files.Count + 1} ('{name}') is empty");
                files.Add(file.ToArray());
            }
        }
        catch (IOException e)
        {
            throw new RequestProblemException(StatusCodes.Status400BadRequest, "Malformed multipart body", $"the multipart/form-data body is malformed: {e.Message}");
        }
        if (files.Count == 0)
            throw new RequestProblemException(StatusCodes.Status400BadRequest, "No image", $"the multipart/form-data body holds no file; {Accepted}");
        return files;
    }

    private static bool IsImageType(string mediaType) =>
        ImageTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase) || mediaType.Equals("image/jpg", StringComparison.OrdinalIgnoreCase);

    private static RequestProblemException Unsupported(string what) =>
        new(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"{what}; {Accepted}");
}
