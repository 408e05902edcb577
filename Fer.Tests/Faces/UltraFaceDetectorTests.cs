using System.Security.Cryptography;
using Fer.Faces.Composites;
using Fer.Faces.Detection;
using Fer.Tests.Infrastructure;

namespace Fer.Tests.Faces;

/// <summary>The shipped detector on composite frames of real FER2013 faces (docs/faces.md). The faces placed are ones it
/// finds: on composites it finds about three in four FER2013 faces, so these tests pin where it must work, not its recall.</summary>
public sealed class UltraFaceDetectorTests : IDisposable
{
    private readonly UltraFaceDetector detector = new(FaceDetectorFile.Bundled);
    private readonly CompositeFrameGenerator composites = new(CompositeTestFaces.Load(perEmotion: 4));

    [Fact]
    public void Detect_FindsTheOneFace_InACompositeWithOneFace()
    {
        var frame = composites.Compose(640, 480, CompositeBackground.Gradient, [new PlacedFace(12, 250, 150, 140)], seed: 1);

        var boxes = detector.Detect(frame.Image);

        var box = Assert.Single(boxes);
        Assert.Equal([0], FaceMatching.Match(frame.Faces, boxes));
        Assert.True(box.IoU(frame.Faces[0].Square) > 0.5f, $"box {box} against the true square {frame.Faces[0].Square}");
    }

    [Fact]
    public void Detect_FindsEveryFace_InACompositeWithSeveral()
    {
        PlacedFace[] faces = [new(12, 40, 40, 150), new(13, 420, 60, 110), new(20, 100, 330, 120), new(22, 520, 330, 180)];
        var frame = composites.Compose(800, 600, CompositeBackground.Noise, faces, seed: 2);

        var boxes = detector.Detect(frame.Image);

        Assert.Equal(faces.Length, boxes.Count);
        Assert.DoesNotContain(-1, FaceMatching.Match(frame.Faces, boxes));
    }

    [Theory]
    [InlineData(CompositeBackground.Flat)]
    [InlineData(CompositeBackground.Gradient)]
    [InlineData(CompositeBackground.Noise)]
    [InlineData(CompositeBackground.Texture)]
    public void Detect_FindsNoFace_InAFrameWithoutFaces(CompositeBackground background)
    {
        var frame = composites.Compose(640, 480, background, [], seed: 3);

        Assert.Empty(detector.Detect(frame.Image));
    }

    [Fact]
    public void Detect_FindsAFaceTouchingTheBorder()
    {
        // In the top right corner: the square's right and top edges are the frame's.
        var frame = composites.Compose(640, 480, CompositeBackground.Flat, [new PlacedFace(12, 640 - 130, 0, 130)], seed: 4);

        var boxes = detector.Detect(frame.Image);

        Assert.Equal([0], FaceMatching.Match(frame.Faces, boxes));
    }

    [Fact]
    public void Constructor_ReadsTheInputSizeFromTheGraph()
    {
        Assert.Equal((640, 480), (detector.InputWidth, detector.InputHeight));
        using var smaller = new UltraFaceDetector(new FaceDetectorFile(Path.Combine(RepositoryPaths.Shared, "models", "ultraface", "version-RFB-320.onnx"),
            "34cd7e60aeff28744c657de7a3dc64e872d506741de66987f3426f2b79f88017"));
        Assert.Equal((320, 240), (smaller.InputWidth, smaller.InputHeight));
    }

    [Fact]
    public void Constructor_RefusesAnAlteredFile_NamingBothHashes()
    {
        var copy = Path.Combine(Directory.CreateTempSubdirectory("fer-detector-").FullName, "version-RFB-640.onnx");
        var bytes = File.ReadAllBytes(FaceDetectorFile.Bundled.Path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(copy, bytes);
        var altered = Convert.ToHexStringLower(SHA256.HashData(bytes));

        var refused = Assert.Throws<FaceDetectorException>(() => new UltraFaceDetector(FaceDetectorFile.Bundled with { Path = copy }));

        Assert.Contains(altered, refused.Message);
        Assert.Contains(FaceDetectorFile.Bundled.Sha256, refused.Message);
    }

    public void Dispose() => detector.Dispose();
}
