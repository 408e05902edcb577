using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Fer.Contracts;
using Fer.Imaging;
using Fer.Inference.Contracts;
using Fer.Tests.Imaging;
using Fer.Training.Onnx;
using SkiaSharp;

namespace Fer.Tests.Inference;

/// <summary>/predict over real HTTP against a real exported model; each answer is checked against TorchSharp.</summary>
public sealed class PredictApiTests : IAsyncLifetime
{
    private const int Seed = 11;
    private InferenceHost host = null!;

    public async Task InitializeAsync()
    {
        host = await InferenceHost.StartWithFileAsync(InferenceTestModels.WriteToTempFile(Seed), new Dictionary<string, string?>
        {
            ["Inference:MaxRequestBytes"] = "200000",
            ["Inference:MaxImagesPerRequest"] = "4",
            ["Inference:MaxPixels"] = "1000000",
        });
        await host.WaitForVersionAsync("seed-11");
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Predict_AnswersTheModelsProbabilities_ForARealFerImage()
    {
        var path = InferenceTestModels.FerImages()[3]; // test/happy/...
        var bytes = await File.ReadAllBytesAsync(path);

        var response = await host.Client.PostAsync("/predict", Image(bytes, "image/jpeg"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var prediction = (await response.Content.ReadFromJsonAsync<PredictionResponse>())!;
        AssertMatchesReference(prediction, bytes);
        Assert.Equal("seed-11", prediction.ModelVersion);
        Assert.Equal(EmotionLabels.Names, prediction.Probabilities.Keys);
        Assert.True(prediction.Timings.TotalMs >= prediction.Timings.InferenceMs);
        Assert.InRange(prediction.Timings.BatchSize, 1, 32);
    }

    [Fact]
    public async Task Predict_SendsOneJsonBody_WithItsContentLength_NotChunked()
    {
        var bytes = await File.ReadAllBytesAsync(InferenceTestModels.FerImages()[0]);

        var response = await host.Client.PostAsync("/predict", Image(bytes, "image/jpeg"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("seed-11", json.RootElement.GetProperty("modelVersion").GetString());
    }

    [Fact]
    public async Task Predict_AnswersAnArrayInTheSameOrder_ForSeveralMultipartFiles()
    {
        var paths = InferenceTestModels.FerImages().Take(3).ToList();
        using var form = new MultipartFormDataContent();
        foreach (var path in paths)
        {
            var file = new ByteArrayContent(await File.ReadAllBytesAsync(path));
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(file, "images", Path.GetFileName(path));
        }

        var response = await host.Client.PostAsync("/predict", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var predictions = (await response.Content.ReadFromJsonAsync<PredictionResponse[]>())!;
        Assert.Equal(3, predictions.Length);
        for (var i = 0; i < paths.Count; i++) AssertMatchesReference(predictions[i], await File.ReadAllBytesAsync(paths[i]));
        Assert.All(predictions, p => Assert.Equal(predictions[0].Timings.BatchSize, p.Timings.BatchSize));
    }

    [Fact]
    public async Task Predict_AcceptsPngWebpBmpAndGif_AsRawBodies()
    {
        var face = await File.ReadAllBytesAsync(InferenceTestModels.FerImages()[0]);
        using var bitmap = SKBitmap.Decode(face);
        foreach (var (format, type) in new[]
                 {
                     (SKEncodedImageFormat.Png, "image/png"), (SKEncodedImageFormat.Webp, "image/webp"),
                 })
        {
            using var data = bitmap.Encode(format, 100);
            var response = await host.Client.PostAsync("/predict", Image(data.ToArray(), type));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            // Lossless re-encodings of the same pixels give the same answer as the JPEG's decoded pixels.
            AssertMatchesReference((await response.Content.ReadFromJsonAsync<PredictionResponse>())!, data.ToArray());
        }
        foreach (var type in new[] { "image/bmp", "image/gif" })
        {
            var bytes = type == "image/bmp" ? Bmp(bitmap) : Gif(bitmap);
            var response = await host.Client.PostAsync("/predict", Image(bytes, type));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            AssertMatchesReference((await response.Content.ReadFromJsonAsync<PredictionResponse>())!, bytes);
        }
    }

    [Fact]
    public async Task Predict_ReturnsProblem400_ForBytesThatAreNotAnImage()
    {
        var response = await host.Client.PostAsync("/predict", Image("this is not a picture"u8.ToArray(), "image/jpeg"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "not an image");
    }

    [Fact]
    public async Task Predict_ReturnsProblem400_ForATruncatedJpeg()
    {
        var bytes = await File.ReadAllBytesAsync(InferenceTestModels.FerImages()[0]);

        var response = await host.Client.PostAsync("/predict", Image(bytes[..(bytes.Length / 3)], "image/jpeg"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "truncated");
    }

    [Fact]
    public async Task Predict_ReturnsProblem400_ForAnEmptyBody()
    {
        var response = await host.Client.PostAsync("/predict", Image([], "image/png"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "empty");
    }

    [Fact]
    public async Task Predict_ReturnsProblem415_ForAContentTypeThatIsNotAnImage()
    {
        var response = await host.Client.PostAsync("/predict", new StringContent("hello", System.Text.Encoding.UTF8, "text/plain"));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "'text/plain' is not supported");
    }

    [Fact]
    public async Task Predict_ReturnsProblem415_ForAMultipartFileThatIsNotAnImage()
    {
        using var form = new MultipartFormDataContent();
        var file = new StringContent("notes");
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        form.Add(file, "images", "notes.txt");

        var response = await host.Client.PostAsync("/predict", form);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "'notes.txt'");
    }

    [Fact]
    public async Task Predict_ReturnsProblem413_ForABodyOverTheLimit()
    {
        var response = await host.Client.PostAsync("/predict", Image(new byte[300_000], "image/png"));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "200,000 bytes");
    }

    [Fact]
    public async Task Predict_ReturnsProblem413_ForTooManyPixels()
    {
        var response = await host.Client.PostAsync("/predict", Image(TestImages.PngHeaderClaiming(5000, 5000), "image/png"));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "5000x5000");
    }

    [Fact]
    public async Task Predict_ReturnsProblem413_ForMoreImagesThanAllowed()
    {
        var bytes = await File.ReadAllBytesAsync(InferenceTestModels.FerImages()[0]);
        using var form = new MultipartFormDataContent();
        for (var i = 0; i < 5; i++) form.Add(new ByteArrayContent(bytes), "images", $"face{i}.jpg");

        var response = await host.Client.PostAsync("/predict", form);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "at most 4 images");
    }

    [Fact]
    public async Task Predict_NamesTheBadFile_WhenOneOfSeveralIsNotAnImage()
    {
        var bytes = await File.ReadAllBytesAsync(InferenceTestModels.FerImages()[0]);
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(bytes), "images", "good.jpg");
        form.Add(new ByteArrayContent("garbage"u8.ToArray()), "images", "bad.jpg");

        var response = await host.Client.PostAsync("/predict", form);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "image 2 of 2");
    }

    [Fact]
    public async Task Health_IsReady_AndNamesTheVersionInService()
    {
        var response = await host.Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("serving model seed-11", body.RootElement.GetProperty("checks").GetProperty("model").GetProperty("description").GetString());
    }

    internal static void AssertMatchesReference(PredictionResponse prediction, byte[] image, int seed = Seed)
    {
        var expected = InferenceTestModels.ReferenceProbabilities(seed, FaceImageDecoder.Decode(image).Pixels);
        var actual = EmotionLabels.Names.Select(label => prediction.Probabilities[label]).ToArray();
        for (var c = 0; c < expected.Length; c++) Assert.Equal(expected[c], actual[c], 1e-4);
        var best = Array.IndexOf(expected, expected.Max());
        Assert.Equal(EmotionLabels.Names[best], prediction.Emotion);
        Assert.Equal(expected[best], prediction.Confidence, 1e-4);
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        var detail = problem.RootElement.GetProperty("detail").GetString()!;
        Assert.Contains(detailContains, detail, StringComparison.Ordinal);
    }

    private static ByteArrayContent Image(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    /// <summary>A 24-bit BMP written by hand (SkiaSharp does not encode BMP).</summary>
    private static byte[] Bmp(SKBitmap bitmap)
    {
        int width = bitmap.Width, height = bitmap.Height, stride = (width * 3 + 3) & ~3;
        var bytes = new byte[54 + stride * height];
        void Int(int offset, int value) => BitConverter.TryWriteBytes(bytes.AsSpan(offset), value);
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        Int(2, bytes.Length);
        Int(10, 54);
        Int(14, 40);
        Int(18, width);
        Int(22, height);
        BitConverter.TryWriteBytes(bytes.AsSpan(26), (short)1);
        BitConverter.TryWriteBytes(bytes.AsSpan(28), (short)24);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var colour = bitmap.GetPixel(x, y);
            var offset = 54 + (height - 1 - y) * stride + x * 3;
            (bytes[offset], bytes[offset + 1], bytes[offset + 2]) = (colour.Blue, colour.Green, colour.Red);
        }
        return bytes;
    }

    /// <summary>A grayscale GIF of the bitmap, written by hand with "uncompressed" LZW: a clear code every 250 pixels
    /// keeps the code table, and so the 9-bit code width, from growing.</summary>
    private static byte[] Gif(SKBitmap bitmap)
    {
        using var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        gif.Write([(byte)bitmap.Width, (byte)(bitmap.Width >> 8), (byte)bitmap.Height, (byte)(bitmap.Height >> 8), 0xF7, 0, 0]);
        for (var level = 0; level < 256; level++) gif.Write([(byte)level, (byte)level, (byte)level]);
        gif.Write([0x2C, 0, 0, 0, 0, (byte)bitmap.Width, (byte)(bitmap.Width >> 8), (byte)bitmap.Height, (byte)(bitmap.Height >> 8), 0, 8]);

        var codes = new List<int>();
        var pixel = 0;
        for (var y = 0; y < bitmap.Height; y++)
        for (var x = 0; x < bitmap.Width; x++, pixel++)
        {
            if (pixel % 250 == 0) codes.Add(256);
            var colour = bitmap.GetPixel(x, y);
            codes.Add((colour.Red * 299 + colour.Green * 587 + colour.Blue * 114) / 1000);
        }
        codes.Add(257);
        var packed = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var code in codes)
        {
            buffer |= code << bits;
            for (bits += 9; bits >= 8; bits -= 8, buffer >>= 8) packed.Add((byte)buffer);
        }
        if (bits > 0) packed.Add((byte)buffer);
        foreach (var block in packed.Chunk(255))
        {
            gif.WriteByte((byte)block.Length);
            gif.Write(block);
        }
        gif.Write([0, 0x3B]);
        return gif.ToArray();
    }
}
