using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Fer.Contracts;
using Fer.Imaging;
using Fer.Inference.Contracts;
using Fer.Tests.Onnx;
using Fer.Training.Onnx;
using static TorchSharp.torch;

namespace Fer.Tests.Inference;

/// <summary>The real network (FerNet: EfficientNetV2-S + the seed's head, exported by our exporter at 64 px) served over
/// HTTP, answering like TorchSharp's FerNet on real FER2013 faces.</summary>
public sealed class FerNetServingTests(FerNetExportFixture fixture) : IClassFixture<FerNetExportFixture>
{
    [Fact]
    public async Task Predict_ServesTheExportedFerNet_AndAgreesWithTorchSharp_ForOneAndForSeveralImages()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("fer-fernet-").FullName, "fernet.onnx");
        await File.WriteAllBytesAsync(path, fixture.Onnx);
        await using var host = await InferenceHost.StartWithFileAsync(path, new Dictionary<string, string?>
        {
            ["Inference:Batching:MaxBatchSize"] = "8",
            ["Inference:MaxImagesPerRequest"] = "8",
        });
        await host.WaitForVersionAsync(null);
        var images = InferenceTestModels.FerImages().Take(4).Select(File.ReadAllBytes).ToList();

        var single = await host.Client.PostAsync("/predict", Jpeg(images[0]));
        using var form = new MultipartFormDataContent();
        foreach (var (image, i) in images.Select((image, i) => (image, i))) form.Add(Jpeg(image), "images", $"face{i}.jpg");
        var several = await host.Client.PostAsync("/predict", form);

        Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        Assert.Equal(HttpStatusCode.OK, several.StatusCode);
        var answers = (await several.Content.ReadFromJsonAsync<PredictionResponse[]>())!;
        Assert.Equal(images.Count, answers.Length);
        AssertLikeTorchSharp((await single.Content.ReadFromJsonAsync<PredictionResponse>())!, images[0]);
        for (var i = 0; i < images.Count; i++) AssertLikeTorchSharp(answers[i], images[i]);
    }

    private void AssertLikeTorchSharp(PredictionResponse answer, byte[] image)
    {
        float[] expected;
        lock (fixture)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var crop = FaceImageDecoder.Decode(image).Pixels;
            expected = fixture.Model.call(tensor(crop, [1, 1, FaceImage.Size, FaceImage.Size])).softmax(1).data<float>().ToArray();
        }
        var actual = EmotionLabels.Names.Select(label => answer.Probabilities[label]).ToArray();
        for (var c = 0; c < expected.Length; c++) Assert.Equal(expected[c], actual[c], 1e-4);
        Assert.Equal(EmotionLabels.Names[Array.IndexOf(expected, expected.Max())], answer.Emotion);
    }

    private static ByteArrayContent Jpeg(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return content;
    }
}
