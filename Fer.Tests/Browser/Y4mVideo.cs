using System.Text;

namespace Fer.Tests.Browser;

/// <summary>
/// Writes a YUV4MPEG2 (4:2:0) file from grayscale frames, the format Chromium's fake camera plays in a loop
/// (<c>--use-file-for-fake-video-capture</c>). Grey frames have neutral chroma (128).
/// </summary>
public static class Y4mVideo
{
    public static void Write(string path, IReadOnlyList<byte[]> frames, int width, int height, int framesPerSecond)
    {
        if (width % 2 != 0 || height % 2 != 0) throw new ArgumentException($"4:2:0 needs even sizes, not {width}x{height}");
        using var file = File.Create(path);
        file.Write(Encoding.ASCII.GetBytes($"YUV4MPEG2 W{width} H{height} F{framesPerSecond}:1 Ip A1:1 C420jpeg\n"));
        var chroma = new byte[width / 2 * (height / 2)];
        Array.Fill(chroma, (byte)128);
        foreach (var luma in frames)
        {
            if (luma.Length != width * height) throw new ArgumentException($"a frame has {luma.Length} pixels, not {width * height}");
            file.Write("FRAME\n"u8);
            file.Write(luma);
            file.Write(chroma);
            file.Write(chroma);
        }
    }

    /// <summary>Scales a square grayscale image up by an integer factor (nearest neighbour), e.g. a 48x48 FER face.</summary>
    public static byte[] ScaleUp(byte[] gray, int size, int factor)
    {
        var outSize = size * factor;
        var result = new byte[outSize * outSize];
        for (var y = 0; y < outSize; y++)
        for (var x = 0; x < outSize; x++)
            result[y * outSize + x] = gray[y / factor * size + x / factor];
        return result;
    }
}
