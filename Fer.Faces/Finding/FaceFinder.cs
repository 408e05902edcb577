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
    public FoundFaces Find(byte[] bytes, FaceMode mode, long maxPixels) => Find(bytes, FaceImageDecoder.ReadSize(bytes), mode, maxPixels);

    /// <summary>Like <see cref="Find(byte[], FaceMode, long)"/> for an image whose stored size is known already.</summary>
    public FoundFaces Find(byte[] bytes, ImageSize size, FaceMode mode, long maxPixels) => Detects(size, mode)
        ? Find(FaceImageDecoder.DecodeGray(bytes, maxPixels))
        : Whole(bytes, mode == FaceMode.Centre ? FaceMode.Centre : FaceMode.Whole, maxPixels);

    /// <summary>Whether an image of this stored size runs the detector in this mode (small images are taken whole);
    /// otherwise finding its face is a decode of microseconds.</summary>
    public bool Detects(ImageSize size, FaceMode mode) =>
        mode == FaceMode.Detect && (size.Width > options.WholeUpToSide || size.Height > options.WholeUpToSide);

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
