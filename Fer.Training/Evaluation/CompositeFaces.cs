using Fer.Faces.Composites;
using Fer.Imaging;
using Fer.Training.Data;

namespace Fer.Training.Evaluation;

/// <summary>A data set's 48x48 faces as crops to place in composite frames (their pixels back in gray levels, exactly:
/// the decoder gave level / 255).</summary>
public static class CompositeFaces
{
    public static IReadOnlyList<LabelledFace> From(FaceDataset data) => data.Samples.Select(sample =>
    {
        if (sample.Pixels.Length != FaceImage.PixelCount)
            throw new ArgumentException($"{sample.Source}: {sample.Pixels.Length} pixels, not a {FaceImage.Size}x{FaceImage.Size} crop", nameof(data));
        var levels = new byte[sample.Pixels.Length];
        for (var i = 0; i < levels.Length; i++) levels[i] = (byte)Math.Clamp(MathF.Round(sample.Pixels[i] * 255f), 0, 255);
        return new LabelledFace(new GrayImage(levels, FaceImage.Size, FaceImage.Size), sample.Label, sample.Source);
    }).ToList();
}
