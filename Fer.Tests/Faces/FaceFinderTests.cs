using Fer.Faces;
using Fer.Faces.Composites;
using Fer.Faces.Detection;
using Fer.Faces.Finding;
using Fer.Faces.Framing;

namespace Fer.Tests.Faces;

public sealed class FaceFinderTests : IDisposable
{
    private readonly UltraFaceDetector detector = new(FaceDetectorFile.Bundled);
    private readonly CompositeFrameGenerator composites = new(CompositeTestFaces.Load(perEmotion: 4));

    [Fact]
    public void Find_DoesNotAnswerAFaceBelowMinFaceSize()
    {
        // A 20-pixel face in a 320x240 frame (the detector's own input size, so it sees every pixel): found, box 18x23.
        var frame = composites.Compose(320, 240, CompositeBackground.Flat, [new PlacedFace(12, 140, 100, 20)], seed: 5);
        var options = new FaceFinderOptions();

        var found = new FaceFinder(detector, FaceFraming.Fitted, new FaceFinderOptions { MinFaceSize = 1 }).Find(frame.Image);
        var box = Assert.Single(found.Faces).Box!.Value;
        Assert.True(Math.Min(box.Width, box.Height) < options.MinFaceSize, $"the detector's box {box} is not below {options.MinFaceSize} pixels");

        Assert.Empty(new FaceFinder(detector, FaceFraming.Fitted, options).Find(frame.Image).Faces);
    }

    [Fact]
    public void Find_CropsAFaceAtTheBorder_PaddingWhereTheSquareLeavesTheImage()
    {
        var frame = composites.Compose(640, 480, CompositeBackground.Flat, [new PlacedFace(12, 640 - 130, 0, 130)], seed: 4);

        var face = Assert.Single(new FaceFinder(detector, FaceFraming.Fitted, new FaceFinderOptions()).Find(frame.Image).Faces);

        var square = new FaceBox(face.CropLeft, face.CropTop, face.CropLeft + face.CropSide, face.CropTop + face.CropSide, 1);
        Assert.True(square.IoU(frame.Faces[0].Square) > 0.7f, $"framed {square}, true {frame.Faces[0].Square}");
        Assert.True(face.CropTop < 0 || face.CropLeft + face.CropSide > 640, $"the framed square {square} stays inside the frame");
        Assert.All(face.Crop.Pixels, p => Assert.InRange(p, 0f, 1f));
    }

    public void Dispose() => detector.Dispose();
}
