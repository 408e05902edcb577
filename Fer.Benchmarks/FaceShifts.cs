using Fer.Imaging;

namespace Fer.Benchmarks;

/// <summary>Applies a <see cref="FaceShift"/> to a 48x48 gray face: the drift tests' shifts and the monitoring loop's.</summary>
public static class FaceShifts
{
    public static byte[] Apply(byte[] gray, FaceShift shift)
    {
        const int side = FaceImage.Size;
        var shifted = (byte[])gray.Clone();
        switch (shift)
        {
            case FaceShift.Darkened:
                for (var i = 0; i < shifted.Length; i++) shifted[i] = (byte)Math.Round(gray[i] * 0.55);
                break;
            case FaceShift.Blurred:
                for (var y = 0; y < side; y++)
                for (var x = 0; x < side; x++)
                {
                    int sum = 0, n = 0;
                    for (var dy = -2; dy <= 2; dy++)
                    for (var dx = -2; dx <= 2; dx++)
                    {
                        var (sx, sy) = (Math.Clamp(x + dx, 0, side - 1), Math.Clamp(y + dy, 0, side - 1));
                        sum += gray[sy * side + sx];
                        n++;
                    }
                    shifted[y * side + x] = (byte)((sum + n / 2) / n);
                }
                break;
            case FaceShift.Occluded:
                Array.Clear(shifted, (int)(side * 0.6) * side, side * side - (int)(side * 0.6) * side);
                break;
        }
        return shifted;
    }

    /// <summary>Reads a shift's name as the command line gives it (clean, darkened, blurred, occluded; any case).</summary>
    public static FaceShift Parse(string name) =>
        Enum.TryParse<FaceShift>(name, ignoreCase: true, out var shift) && Enum.IsDefined(shift) && !int.TryParse(name, out _)
            ? shift
            : throw new ArgumentException($"--shift is clean, darkened, blurred or occluded, not {name}");
}
