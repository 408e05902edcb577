using Fer.Contracts;
using Fer.Imaging;
using Fer.Tests.Infrastructure;

namespace Fer.Tests.Monitoring;

/// <summary>FER2013's test faces (../shared/data/fer2013/test), read once per shift and kept for the test run, and
/// replays drawn from them: faces chosen uniformly at random with replacement, in a seeded order, as traffic from the
/// same population would arrive (the folders' class-by-class order would be a drift of its own).</summary>
public static class Fer2013Replay
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<FaceShift, IReadOnlyList<ReplayFace>> Loaded = [];

    public static string TestFolder => Path.Combine(RepositoryPaths.Fer2013, "test");

    public static IReadOnlyList<ReplayFace> Faces(FaceShift shift)
    {
        lock (Gate)
        {
            if (Loaded.TryGetValue(shift, out var faces)) return faces;
            var list = new List<ReplayFace>();
            for (var label = 0; label < EmotionLabels.Count; label++)
            {
                var folder = Path.Combine(TestFolder, EmotionLabels.Names[label]);
                foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
                {
                    var image = FaceImageDecoder.DecodeGray(File.ReadAllBytes(file));
                    if (image.Width != FaceImage.Size || image.Height != FaceImage.Size) continue;
                    var gray = Shift(image.Pixels, shift);
                    list.Add(new ReplayFace(gray, GrayPng.Encode(gray, FaceImage.Size, FaceImage.Size), label));
                }
            }
            return Loaded[shift] = list;
        }
    }

    /// <summary><paramref name="count"/> faces drawn at random (seeded) with replacement.</summary>
    public static IEnumerable<ReplayFace> Draw(FaceShift shift, int count, int seed)
    {
        var faces = Faces(shift);
        var random = new Random(seed);
        for (var i = 0; i < count; i++) yield return faces[random.Next(faces.Count)];
    }

    public static byte[] Shift(byte[] gray, FaceShift shift)
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
}
