using Fer.Imaging;

namespace Fer.Faces.Composites;

/// <summary>Bilinear scaling of a square gray crop to <c>side x side</c>, pixel centres aligned (as OpenCV and PIL do), edges
/// repeated: how a 48x48 FER2013 face is enlarged into a frame.</summary>
internal static class FaceScaler
{
    public static float[] Scale(GrayImage crop, int side)
    {
        var source = crop.Width;
        var taps = new (int Low, int High, float Weight)[side];
        for (var i = 0; i < side; i++)
        {
            var at = Math.Clamp((i + 0.5f) * source / side - 0.5f, 0, source - 1);
            var low = (int)at;
            taps[i] = (low, Math.Min(low + 1, source - 1), at - low);
        }
        var scaled = new float[side * side];
        for (var y = 0; y < side; y++)
        {
            var (row0, row1, fy) = taps[y];
            for (var x = 0; x < side; x++)
            {
                var (column0, column1, fx) = taps[x];
                var top = crop[column0, row0] * (1 - fx) + crop[column1, row0] * fx;
                var bottom = crop[column0, row1] * (1 - fx) + crop[column1, row1] * fx;
                scaled[y * side + x] = top * (1 - fy) + bottom * fy;
            }
        }
        return scaled;
    }
}
