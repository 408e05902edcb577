using Fer.Imaging;

namespace Fer.Faces.Detection;

/// <summary>Fills UltraFace's input, float32 [1, 3, H, W] with values (pixel - 127) / 128, from an image's luma (the
/// same value in the three channels), letterboxed: each input pixel is the mean of the image pixels under it (nearest
/// pixel when enlarging), the margins 0.</summary>
internal static class DetectorInput
{
    public static void Fill(GrayImage image, Letterbox box, int width, int height, float[] input)
    {
        var plane = width * height;
        Array.Clear(input, 0, 3 * plane);
        var columns = Spans(width, box.OffsetX, box.Scale, image.Width);
        var rows = Spans(height, box.OffsetY, box.Scale, image.Height);
        var columnSums = new float[image.Width];
        for (var v = 0; v < height; v++)
        {
            var (y0, y1) = rows[v];
            if (y1 <= y0) continue;
            Array.Clear(columnSums);
            for (var y = y0; y < y1; y++)
            {
                var row = image.Pixels.AsSpan(y * image.Width, image.Width);
                for (var x = 0; x < row.Length; x++) columnSums[x] += row[x];
            }
            for (var u = 0; u < width; u++)
            {
                var (x0, x1) = columns[u];
                if (x1 <= x0) continue;
                var sum = 0f;
                for (var x = x0; x < x1; x++) sum += columnSums[x];
                var value = (sum / ((x1 - x0) * (y1 - y0)) - 127f) / 128f;
                var at = v * width + u;
                input[at] = input[plane + at] = input[2 * plane + at] = value;
            }
        }
    }

    /// <summary>For each input index, the image indices <c>[start, end)</c> under it; empty in the margins.</summary>
    private static (int Start, int End)[] Spans(int inputLength, float offset, float scale, int imageLength)
    {
        var spans = new (int, int)[inputLength];
        for (var i = 0; i < inputLength; i++)
        {
            float from = (i - offset) / scale, to = (i + 1 - offset) / scale;
            if (to <= 0 || from >= imageLength) continue;
            var start = Math.Clamp((int)MathF.Floor(from + 1e-4f), 0, imageLength - 1);
            var end = Math.Clamp((int)MathF.Ceiling(to - 1e-4f), start + 1, imageLength);
            spans[i] = (start, end);
        }
        return spans;
    }
}
