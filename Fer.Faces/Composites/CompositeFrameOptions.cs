namespace Fer.Faces.Composites;

/// <summary>The ranges composite frames are drawn from (defaults: docs/faces.md).</summary>
public sealed record CompositeFrameOptions
{
    /// <summary>Frame sizes, equally likely: webcam and phone photos, film frames (720x576), square crops.</summary>
    public IReadOnlyList<(int Width, int Height)> Sizes { get; init; } =
        [(640, 480), (480, 640), (800, 600), (1024, 768), (1280, 720), (720, 576), (512, 512)];

    public int MinFaces { get; init; } = 1;

    public int MaxFaces { get; init; } = 4;

    /// <summary>The side, in pixels, a 48x48 crop is scaled to: uniform in [MinSide, MaxSide].</summary>
    public int MinSide { get; init; } = 64;

    public int MaxSide { get; init; } = 200;

    /// <summary>Pixels kept free between two faces' squares, so that no face covers another.</summary>
    public int Gap { get; init; } = 8;

    /// <summary>Uniform grain of +-this many gray levels over the whole frame, faces included, as a camera adds.</summary>
    public int Grain { get; init; } = 3;
}
