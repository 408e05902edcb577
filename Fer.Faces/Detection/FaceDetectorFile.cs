using System.Security.Cryptography;

namespace Fer.Faces.Detection;

/// <summary>A face detector's ONNX file and the SHA-256 its bytes must have; loading checks it, so a damaged or swapped
/// file is refused with the reason instead of detecting wrongly.</summary>
public sealed record FaceDetectorFile(string Path, string Sha256)
{
    /// <summary>The UltraFace RFB-320 file that ships in every build output (<c>FaceDetector/</c>, with its licence).</summary>
    public static FaceDetectorFile Bundled { get; } = new(
        System.IO.Path.Combine(AppContext.BaseDirectory, "FaceDetector", "version-RFB-320.onnx"),
        "34cd7e60aeff28744c657de7a3dc64e872d506741de66987f3426f2b79f88017");

    /// <summary>The file's bytes, once their SHA-256 matched.</summary>
    /// <exception cref="FaceDetectorException">The file is missing, unreadable, or holds other bytes.</exception>
    public byte[] ReadVerified()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FaceDetectorException($"the face detector {Path} cannot be read: {e.Message}", e);
        }
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!actual.Equals(Sha256, StringComparison.OrdinalIgnoreCase))
            throw new FaceDetectorException($"the face detector {Path} has SHA-256 {actual}, not the expected {Sha256.ToLowerInvariant()}: the file is damaged or not the one shipped");
        return bytes;
    }
}
