using Fer.Imaging;

namespace Fer.Faces.Composites;

/// <summary>
/// Makes synthetic photos from face crops, to measure detection and framing against a known truth: each frame has a size,
/// a background and one to several faces, each crop scaled bilinearly to a square and placed where it does not touch
/// another; every choice comes from the seed, so the same seed gives the same frames. docs/faces.md shows examples.
/// </summary>
public sealed class CompositeFrameGenerator
{
    private static readonly CompositeBackground[] Backgrounds = Enum.GetValues<CompositeBackground>();

    public CompositeFrameGenerator(IReadOnlyList<LabelledFace> faces, CompositeFrameOptions? options = null)
    {
        if (faces.Count == 0) throw new ArgumentException("composite frames need at least one face", nameof(faces));
        Faces = faces;
        Options = options ?? new CompositeFrameOptions();
        if (Options.MinFaces < 0 || Options.MaxFaces < Options.MinFaces || Options.MinSide < 1 || Options.MaxSide < Options.MinSide)
            throw new ArgumentException($"composite options out of range: {Options}", nameof(options));
    }

    public IReadOnlyList<LabelledFace> Faces { get; }

    public CompositeFrameOptions Options { get; }

    /// <summary>An endless sequence of frames. Faces are drawn in a seeded random order, each once before any repeats; a face
    /// that finds no free place waits for the next frame.</summary>
    public IEnumerable<CompositeFrame> Frames(int seed)
    {
        var random = new Random(seed);
        var order = Shuffled(random);
        var next = 0;
        while (true)
        {
            var (width, height) = Options.Sizes[random.Next(Options.Sizes.Count)];
            var background = Backgrounds[random.Next(Backgrounds.Length)];
            var wanted = random.Next(Options.MinFaces, Options.MaxFaces + 1);
            var placed = new List<PlacedFace>();
            for (var i = 0; i < wanted; i++)
            {
                if (next == order.Length) (order, next) = (Shuffled(random), 0);
                if (TryPlace(order[next], width, height, placed, random) is { } face)
                {
                    placed.Add(face);
                    next++;
                }
            }
            yield return Compose(width, height, background, placed, random.Next());
        }
    }

    /// <summary>A frame with the given faces where the caller puts them (they are clipped where they leave the frame).</summary>
    public CompositeFrame Compose(int width, int height, CompositeBackground background, IReadOnlyList<PlacedFace> faces, int seed)
    {
        var random = new Random(seed);
        var pixels = BackgroundPainter.Paint(background, width, height, random, Faces);
        foreach (var face in faces) Paste(pixels, width, height, face);
        if (Options.Grain > 0)
            for (var i = 0; i < pixels.Length; i++)
                pixels[i] = (byte)Math.Clamp(pixels[i] + random.Next(-Options.Grain, Options.Grain + 1), 0, 255);
        return new CompositeFrame(new GrayImage(pixels, width, height), background, faces);
    }

    private int[] Shuffled(Random random)
    {
        var order = Enumerable.Range(0, Faces.Count).ToArray();
        random.Shuffle(order);
        return order;
    }

    private PlacedFace? TryPlace(int face, int width, int height, List<PlacedFace> placed, Random random)
    {
        var largest = Math.Min(Options.MaxSide, Math.Min(width, height));
        if (largest < Options.MinSide) return null;
        var side = random.Next(Options.MinSide, largest + 1);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var candidate = new PlacedFace(face, random.Next(width - side + 1), random.Next(height - side + 1), side);
            if (!placed.Any(other => other.Overlaps(candidate, Options.Gap))) return candidate;
        }
        return null;
    }

    private void Paste(byte[] pixels, int width, int height, PlacedFace face)
    {
        var scaled = FaceScaler.Scale(Faces[face.Face].Crop, face.Side);
        for (var y = Math.Max(0, face.Top); y < Math.Min(height, face.Top + face.Side); y++)
        for (var x = Math.Max(0, face.Left); x < Math.Min(width, face.Left + face.Side); x++)
            pixels[y * width + x] = (byte)Math.Clamp(MathF.Round(scaled[(y - face.Top) * face.Side + x - face.Left]), 0, 255);
    }
}
