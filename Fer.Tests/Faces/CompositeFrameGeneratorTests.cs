using Fer.Faces.Composites;
using Fer.Imaging;

namespace Fer.Tests.Faces;

public sealed class CompositeFrameGeneratorTests
{
    private static readonly IReadOnlyList<LabelledFace> Faces = CompositeTestFaces.Load(perEmotion: 3);

    [Fact]
    public void Frames_AreTheSameForTheSameSeed_AndDifferForAnother()
    {
        var first = new CompositeFrameGenerator(Faces).Frames(seed: 7).Take(4).ToList();
        var again = new CompositeFrameGenerator(Faces).Frames(seed: 7).Take(4).ToList();
        var other = new CompositeFrameGenerator(Faces).Frames(seed: 8).Take(4).ToList();

        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].Faces, again[i].Faces);
            Assert.Equal(first[i].Image.Pixels, again[i].Image.Pixels);
        }
        Assert.NotEqual(first[0].Image.Pixels, other[0].Image.Pixels);
    }

    [Fact]
    public void Frames_PlaceFacesInsideTheFrame_ApartAndOfTheAskedSides()
    {
        var options = new CompositeFrameOptions();
        var frames = new CompositeFrameGenerator(Faces, options).Frames(seed: 9).Take(40).ToList();

        foreach (var frame in frames)
        {
            Assert.Contains((frame.Image.Width, frame.Image.Height), options.Sizes);
            Assert.InRange(frame.Faces.Count, 0, options.MaxFaces);
            foreach (var face in frame.Faces)
            {
                Assert.InRange(face.Side, options.MinSide, options.MaxSide);
                Assert.InRange(face.Left, 0, frame.Image.Width - face.Side);
                Assert.InRange(face.Top, 0, frame.Image.Height - face.Side);
                Assert.DoesNotContain(frame.Faces, other => other != face && other.Overlaps(face, options.Gap));
            }
        }
        // Every background is drawn, and most frames hold all the faces they asked for (1 to 4, 2.5 on average).
        Assert.Equal(Enum.GetValues<CompositeBackground>().Length, frames.Select(f => f.Background).Distinct().Count());
        Assert.InRange(frames.Average(f => f.Faces.Count), 2.0, 3.0);
    }

    [Fact]
    public void Frames_UseEachFaceOnceBeforeAnyRepeats()
    {
        var placed = new CompositeFrameGenerator(Faces).Frames(seed: 10).SelectMany(f => f.Faces).Take(Faces.Count).Select(f => f.Face).ToList();

        Assert.Equal(Enumerable.Range(0, Faces.Count), placed.Order());
    }

    [Fact]
    public void Compose_PutsTheCropWhereItSays()
    {
        // At 48 pixels and without grain, the square holds the crop's own pixels; at 96 each pixel spans 2x2 (bilinear
        // with aligned centres: the crop's pixel (0, 0) is the frame's (left, top) exactly, away from any neighbour's weight).
        var generator = new CompositeFrameGenerator(Faces, new CompositeFrameOptions { Grain = 0 });
        var frame = generator.Compose(320, 240, CompositeBackground.Texture, [new PlacedFace(5, 30, 40, 48), new PlacedFace(6, 150, 60, 96)], seed: 11);

        var crop = Faces[5].Crop;
        for (var y = 0; y < 48; y++)
        for (var x = 0; x < 48; x++)
            Assert.Equal(crop[x, y], frame.Image[30 + x, 40 + y]);
        Assert.Equal(Faces[6].Crop[0, 0], frame.Image[150, 60]);
        Assert.Equal(Faces[6].Crop[47, 47], frame.Image[150 + 95, 60 + 95]);
        Assert.Equal(FaceImage.Size, crop.Width);
    }
}
