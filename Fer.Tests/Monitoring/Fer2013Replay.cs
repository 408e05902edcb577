using Fer.Benchmarks;
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
                    var gray = FaceShifts.Apply(image.Pixels, shift);
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
}
