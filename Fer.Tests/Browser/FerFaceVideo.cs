using Fer.Imaging;
using Fer.Tests.Infrastructure;

namespace Fer.Tests.Browser;

/// <summary>A fake-camera video made from FER2013 test faces: 192x192, 10 fps, each face held for a second.</summary>
public static class FerFaceVideo
{
    public const int Size = 192;
    public static readonly string[] Emotions = ["happy", "sad", "surprise"];

    public static void Write(string path)
    {
        var frames = new List<byte[]>();
        foreach (var emotion in Emotions)
        {
            var face = FaceImageDecoder.Decode(File.ReadAllBytes(RepositoryPaths.FirstTestImage(emotion))).Pixels;
            var grey = face.Select(v => (byte)Math.Clamp(MathF.Round(v * 255), 0, 255)).ToArray();
            var frame = Y4mVideo.ScaleUp(grey, FaceImage.Size, Size / FaceImage.Size);
            for (var i = 0; i < 10; i++) frames.Add(frame);
        }
        Y4mVideo.Write(path, frames, Size, Size, 10);
    }
}
