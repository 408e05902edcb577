using System.Security.Cryptography;

namespace Fer.Faces.Detection;

/// <summary>A face detector's ONNX file and the SHA-256 its bytes must have; loading checks it, so a damaged or swapped
/// file is refused with the reason instead of detecting wrongly.</summary>
public sealed record FaceDetectorFile(string Path, string Sha256)
{
    /// <summary>The UltraFace RFB-640 file that ships in every build output (<c>FaceDetector/</c>, with its licence).</summary>
    public static FaceDetectorFile Bundled { get; } = new(
        System.IO.Path.Combine(AppContext.BaseDirectory, "FaceDetector", "version-RFB-640.onnx"),
        "8f4c659275977e7a3bfbfa339a9c769ad793df50f9c0baa8c14b11baa1646430");

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
