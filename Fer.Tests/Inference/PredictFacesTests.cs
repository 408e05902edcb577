using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Fer.Contracts;
using Fer.Faces.Detection;
using Fer.Faces.Finding;
using Fer.Faces.Framing;
using Fer.Faces;
using Fer.Imaging;
using Fer.Inference.Contracts;
using Fer.Tests.Faces;
using Fer.Tests.Imaging;
using SkiaSharp;

namespace Fer.Tests.Inference;

/// <summary>/predict on photos: every face found, largest first, each classified as its own crop; the options that
/// take the image whole or by its centre; a photo without a face. Real HTTP, the real detector, a real exported model.</summary>
public sealed class PredictFacesTests : IAsyncLifetime
{
    private const int Seed = 12;
    private InferenceHost host = null!;

    public async Task InitializeAsync()
    {
        host = await InferenceHost.StartWithFileAsync(InferenceTestModels.WriteToTempFile(Seed));
        await host.WaitForVersionAsync("seed-12");
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Predict_AnswersEveryFace_LargestFirst_AndKeepsTheLargestAtTheTopLevel()
    {
        SKRectI[] squares = [new(40, 60, 160, 180), new(250, 100, 450, 300), new(480, 280, 620, 420)];
        var photo = CompositePhoto.Jpeg(640, 480, squares);

        var prediction = await PredictAsync(photo);

        Assert.Equal("detect", prediction.FaceMode);
        Assert.Equal("UltraFace RFB-640", prediction.Detector);
        Assert.Equal(new ImageDimensions(640, 480), prediction.Image);
        Assert.Equal(3, prediction.Faces.Count);
        SKRectI[] bySize = [squares[1], squares[2], squares[0]];
        for (var i = 0; i < 3; i++)
        {
            var face = prediction.Faces[i];
            Assert.True(bySize[i].Contains(face.Box.X + face.Box.Width / 2, face.Box.Y + face.Box.Height / 2), $"face {i} at {face.Box} is not in {bySize[i]}");
            Assert.InRange(face.Score!.Value, 0.7f, 1f);
            Assert.Equal("seed-12", face.ModelVersion);
        }
        // Each face is classified as its own crop, in the order answered.
        using var detector = new UltraFaceDetector(FaceDetectorFile.Bundled);
        var found = new FaceFinder(detector, FaceFraming.Fitted, new FaceFinderOptions()).Find(FaceImageDecoder.DecodeGray(photo));
        for (var i = 0; i < 3; i++) AssertAnswers(prediction.Faces[i], found.Faces[i].Crop.Pixels);
        Assert.Equal(prediction.Faces[0].Emotion, prediction.Emotion);
        Assert.Equal(prediction.Faces[0].Confidence, prediction.Confidence);
        Assert.Equal(prediction.Faces[0].Probabilities, prediction.Probabilities);
    }

    [Fact]
    public async Task Predict_SaysSo_WhenThePhotoHasNoFace()
    {
        var photo = CompositePhoto.Jpeg(640, 480);

        var prediction = await PredictAsync(photo);

        Assert.Empty(prediction.Faces);
        Assert.Null(prediction.Emotion);
        Assert.Contains("faces=centre", prediction.Message, StringComparison.Ordinal);
        Assert.Equal("seed-12", prediction.ModelVersion);
    }

    [Fact]
    public async Task Predict_FacesCentre_GivesTheCentreSquare_AsBeforeFacesWereDetected()
    {
        var photo = CompositePhoto.Jpeg(300, 200, new SKRectI(20, 20, 120, 120));

        var prediction = await PredictAsync(photo, "?faces=centre");

        var face = Assert.Single(prediction.Faces);
        Assert.Equal("centre", prediction.FaceMode);
        Assert.Equal(new PixelBox(50, 0, 200, 200), face.Box);
        Assert.Null(face.Score);
        AssertAnswers(face, FaceImageDecoder.Decode(photo).Pixels);
        PredictApiTests.AssertMatchesReference(prediction, photo, Seed);
    }

    [Fact]
    public async Task Predict_FacesWhole_TakesASquareImageAsItsCentre_BitForBit()
    {
        var photo = CompositePhoto.Jpeg(200, 200, new SKRectI(20, 20, 180, 180));

        var whole = await PredictAsync(photo, "?faces=whole");
        var centre = await PredictAsync(photo, "?faces=CENTRE");

        Assert.Equal("whole", whole.FaceMode);
        Assert.Null(whole.Detector);
        Assert.Equal(centre.Probabilities, whole.Probabilities);
        PredictApiTests.AssertMatchesReference(whole, photo, Seed);
    }

    [Fact]
    public async Task Predict_TakesFer2013sOwnCrops_Whole()
    {
        var bytes = await File.ReadAllBytesAsync(InferenceTestModels.FerImages()[2]);

        var prediction = await PredictAsync(bytes);

        Assert.Equal("whole", prediction.FaceMode);
        var face = Assert.Single(prediction.Faces);
        Assert.Equal(new PixelBox(0, 0, 48, 48), face.Box);
        PredictApiTests.AssertMatchesReference(prediction, bytes, Seed);
    }

    [Fact]
    public async Task Predict_LocatesTheFace_InTheUprightImage_OfAnExifRotatedPhoto()
    {
        // Drawn upright at (300, 80)-(480, 260) of 640x480; stored turned a quarter anticlockwise, with EXIF orientation 6
        // ("turn 90 degrees clockwise to view").
        using var upright = CompositePhoto.Draw(640, 480, new SKRectI(300, 80, 480, 260));
        using var stored = new SKBitmap(new SKImageInfo(480, 640, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(stored))
        {
            canvas.Translate(0, 640);
            canvas.RotateDegrees(-90);
            canvas.DrawBitmap(upright, 0, 0);
        }
        var photo = TestImages.WithExifOrientation(CompositePhoto.Jpeg(stored), 6);

        var prediction = await PredictAsync(photo);

        Assert.Equal(new ImageDimensions(640, 480), prediction.Image);
        var face = Assert.Single(prediction.Faces);
        Assert.InRange(face.Box.X + face.Box.Width / 2, 300, 480);
        Assert.InRange(face.Box.Y + face.Box.Height / 2, 80, 260);
    }

    [Fact]
    public async Task Predict_ReturnsProblem400_ForAnUnknownFacesOption()
    {
        var response = await host.Client.PostAsync("/predict?faces=all", Content(CompositePhoto.Jpeg(64, 64)));

        await PredictApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, "faces must be detect, whole or centre, not 'all'");
    }

    private async Task<PredictionResponse> PredictAsync(byte[] photo, string query = "")
    {
        var response = await host.Client.PostAsync("/predict" + query, Content(photo));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PredictionResponse>())!;
    }

    private static void AssertAnswers(FacePrediction face, float[] crop)
    {
        var expected = InferenceTestModels.ReferenceProbabilities(Seed, crop);
        var actual = EmotionLabels.Names.Select(label => face.Probabilities[label]).ToArray();
        for (var c = 0; c < expected.Length; c++) Assert.Equal(expected[c], actual[c], 1e-4);
        Assert.Equal(EmotionLabels.Names[Array.IndexOf(expected, expected.Max())], face.Emotion);
    }

    private static ByteArrayContent Content(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return content;
    }
}
