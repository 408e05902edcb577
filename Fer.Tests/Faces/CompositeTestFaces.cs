using Fer.Contracts;
using Fer.Faces.Composites;
using Fer.Imaging;
using Fer.Tests.Infrastructure;

namespace Fer.Tests.Faces;

/// <summary>FER2013 test faces to place in composite frames, read with the product's decoder: the first files of each
/// emotion in file-name order, so every run places the same faces.</summary>
public static class CompositeTestFaces
{
    public static IReadOnlyList<LabelledFace> Load(int perEmotion) =>
        EmotionLabels.Names.SelectMany((emotion, label) =>
            Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Fer2013, "test", emotion), "*.jpg").Order(StringComparer.Ordinal).Take(perEmotion)
                .Select(path => new LabelledFace(FaceImageDecoder.DecodeGray(File.ReadAllBytes(path)), label, path)))
            .ToList();
}
