using Fer.Imaging;

namespace Fer.Benchmarks;

/// <summary>The shifts <c>label-free-estimates</c> checks the estimates on beside the tested ones (<see cref="FaceShift"/>):
/// if an estimate only held on the shifts it was looked at against, these would show it.</summary>
public static class UntestedShifts
{
    private const int Side = FaceImage.Size;

    public static IReadOnlyList<UntestedShift> All { get; } =
    [
        new("over-exposed (x 1.5 + 20)", (g, _) => Map(g, v => v * 1.5 + 20)),
        new("salt and pepper (3 % black, 3 % white)", SaltAndPepper),
        new("Gaussian noise (sigma 20 of 255)", GaussianNoise),
        new("horizontal motion blur (7 px)", (g, _) => HorizontalBlur(g, 3)),
        new("down to 16x16 and back (3x3 blocks)", (g, _) => Blocks(g, 3)),
        new("left half grey", (g, _) => Fill(g, 0, Side, 0, Side / 2, 128)),
        new("band over the eyes black (rows 12-25)", (g, _) => Fill(g, 12, 26, 0, Side, 0)),
        new("rotated 15 degrees", (g, _) => Rotate(g, 15)),
    ];

    private static byte[] Map(byte[] gray, Func<double, double> f) =>
        [.. gray.Select(v => (byte)Math.Clamp(Math.Round(f(v)), 0, 255))];

    private static byte[] SaltAndPepper(byte[] gray, int seed)
    {
        var random = new Random(seed);
        return [.. gray.Select(v => random.NextDouble() switch { < 0.03 => (byte)0, < 0.06 => (byte)255, _ => v })];
    }

    private static byte[] GaussianNoise(byte[] gray, int seed)
    {
        var random = new Random(seed);
        return Map(gray, v => v + 20 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
    }

    private static byte[] HorizontalBlur(byte[] gray, int radius)
    {
        var blurred = new byte[gray.Length];
        for (var y = 0; y < Side; y++)
        for (var x = 0; x < Side; x++)
        {
            var sum = 0;
            for (var dx = -radius; dx <= radius; dx++) sum += gray[y * Side + Math.Clamp(x + dx, 0, Side - 1)];
            blurred[y * Side + x] = (byte)Math.Round(sum / (2.0 * radius + 1));
        }
        return blurred;
    }

    private static byte[] Blocks(byte[] gray, int block)
    {
        var blocky = new byte[gray.Length];
        for (var top = 0; top < Side; top += block)
        for (var left = 0; left < Side; left += block)
        {
            var sum = 0;
            for (var y = top; y < top + block; y++)
            for (var x = left; x < left + block; x++) sum += gray[y * Side + x];
            var mean = (byte)Math.Round(sum / (double)(block * block));
            for (var y = top; y < top + block; y++)
            for (var x = left; x < left + block; x++) blocky[y * Side + x] = mean;
        }
        return blocky;
    }

    private static byte[] Fill(byte[] gray, int top, int bottom, int left, int right, byte value)
    {
        var filled = (byte[])gray.Clone();
        for (var y = top; y < bottom; y++)
        for (var x = left; x < right; x++) filled[y * Side + x] = value;
        return filled;
    }

    /// <summary>Rotates about the centre with bilinear sampling; pixels from outside take the nearest edge's.</summary>
    private static byte[] Rotate(byte[] gray, double degrees)
    {
        var (cos, sin) = (Math.Cos(degrees * Math.PI / 180), Math.Sin(degrees * Math.PI / 180));
        const double centre = (Side - 1) / 2.0;
        var rotated = new byte[gray.Length];
        for (var y = 0; y < Side; y++)
        for (var x = 0; x < Side; x++)
        {
            var sx = Math.Clamp(cos * (x - centre) + sin * (y - centre) + centre, 0, Side - 1);
            var sy = Math.Clamp(-sin * (x - centre) + cos * (y - centre) + centre, 0, Side - 1);
            int x0 = (int)sx, y0 = (int)sy, x1 = Math.Min(Side - 1, x0 + 1), y1 = Math.Min(Side - 1, y0 + 1);
            double fx = sx - x0, fy = sy - y0;
            var value = (1 - fy) * ((1 - fx) * gray[y0 * Side + x0] + fx * gray[y0 * Side + x1])
                + fy * ((1 - fx) * gray[y1 * Side + x0] + fx * gray[y1 * Side + x1]);
            rotated[y * Side + x] = (byte)Math.Round(value);
        }
        return rotated;
    }
}
