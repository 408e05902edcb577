namespace Fer.Training.Data;

/// <summary>
/// One batch as plain arrays, built off the training thread: the pixels ([Count, 1, 48, 48] row-major; empty when the
/// consumer reads cached features instead), the labels, the dataset indices, and whether each sample is the mirror image.
/// </summary>
public sealed record FaceBatch(float[] Pixels, long[] Labels, int[] Indices, bool[] Flipped)
{
    public int Count => Labels.Length;
}
