using Fer.Imaging;

namespace Fer.Faces.Composites;

/// <summary>A face crop to place into composite frames (FER2013's 48x48 gray faces), its class and where it came from.</summary>
public sealed record LabelledFace(GrayImage Crop, int Label, string Source)
{
    /// <summary>The crop, which must be square: composites scale it to a square of another side.</summary>
    public GrayImage Crop { get; } = Crop.Width == Crop.Height
        ? Crop
        : throw new ArgumentException($"a face crop to place must be square, not {Crop.Width}x{Crop.Height}", nameof(Crop));
}
