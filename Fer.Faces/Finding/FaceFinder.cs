using Fer.Faces.Detection;
using Fer.Faces.Framing;
using Fer.Imaging;

namespace Fer.Faces.Finding;

/// <summary>From an image's bytes to the faces to classify, identically wherever it runs (serving, evaluation, the
/// benchmarks): decode upright, detect, keep the faces large enough, largest first, frame each as FER2013 did, crop.</summary>
public sealed class FaceFinder(UltraFaceDetector detector, FaceFraming framing, FaceFinderOptions options)
{
    public UltraFaceDetector Detector => detector;

    public FaceFraming Framing => framing;

    public FaceFinderOptions Options => options;

    /// <summary>The image's faces as <paramref name="mode"/> says, and the upright image's size.</summary>
    public FoundFaces Find(byte[] bytes, FaceMode mode, long maxPixels)
    {
        if (mode != FaceMode.Detect) return Whole(bytes, mode, maxPixels);
        var size = FaceImageDecoder.ReadSize(bytes);
        if (size.Width <= options.WholeUpToSide && size.Height <= options.WholeUpToSide) return Whole(bytes, FaceMode.Whole, maxPixels);
        return Find(FaceImageDecoder.DecodeGray(bytes, maxPixels));
    }

    /// <summary>Detects and crops the faces of an upright image.</summary>
    public FoundFaces Find(GrayImage image)
    {
        var faces = detector.Detect(image, options.ScoreThreshold, options.OverlapThreshold)
            .Where(box => Math.Min(box.Width, box.Height) >= options.MinFaceSize)
            .OrderByDescending(box => box.Area)
            .Take(options.MaxFaces)
            .Select(box =>
            {
                var (left, top, side) = framing.Square(box);
                return new FoundFace(box, left, top, side, image.CropSquare(left, top, side));
            })
            .ToList();
        return new FoundFaces(faces, image.Width, image.Height, FaceMode.Detect);
    }

    private static FoundFaces Whole(byte[] bytes, FaceMode mode, long maxPixels)
    {
        var crop = mode == FaceMode.Centre ? FaceImageDecoder.Decode(bytes, maxPixels) : FaceImageDecoder.DecodeWhole(bytes, maxPixels);
        int width = crop.SourceWidth, height = crop.SourceHeight;
        var (left, top, side) = mode == FaceMode.Centre
            ? ((width - Math.Min(width, height)) / 2, (height - Math.Min(width, height)) / 2, Math.Min(width, height))
            : (0, 0, Math.Max(width, height));
        return new FoundFaces([new FoundFace(null, left, top, side, crop)], width, height, mode);
    }
}
