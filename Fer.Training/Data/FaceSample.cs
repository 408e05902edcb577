using Fer.Imaging;

namespace Fer.Training.Data;

/// <summary>One labelled canonical input: 48x48 pixels in [0, 1], its class, and where it came from (file or CSV line).</summary>
public sealed record FaceSample(float[] Pixels, int Label, string Source)
{
    public static FaceSample From(FaceImage image, int label, string source) => new(image.Pixels, label, source);
}
