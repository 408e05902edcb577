using Fer.Contracts;
using Fer.Imaging;

namespace Fer.Benchmarks;

/// <summary>FER2013's test faces (the Kaggle folder layout, one folder per emotion) with a <see cref="FaceShift"/>
/// applied, encoded as PNG so that the shift reaches the replica exactly (a JPEG would blur it).</summary>
public static class ShiftedFaces
{
    public static IReadOnlyList<ShiftedFace> Load(string testFolder, FaceShift shift)
    {
        var faces = new List<ShiftedFace>();
        for (var label = 0; label < EmotionLabels.Count; label++)
        {
            var folder = Path.Combine(testFolder, EmotionLabels.Names[label]);
            if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder} does not exist: --data needs FER2013 in the image-folder layout");
            foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            {
                var image = FaceImageDecoder.DecodeGray(File.ReadAllBytes(file));
                if (image.Width != FaceImage.Size || image.Height != FaceImage.Size) continue;
                faces.Add(new ShiftedFace(GrayPng.Encode(FaceShifts.Apply(image.Pixels, shift), FaceImage.Size, FaceImage.Size), label));
            }
        }
        return faces.Count > 0 ? faces : throw new DirectoryNotFoundException($"{testFolder} holds no 48x48 faces");
    }
}
