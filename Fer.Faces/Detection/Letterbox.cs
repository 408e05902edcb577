namespace Fer.Faces.Detection;

/// <summary>How an image sits in the detector's fixed input: scaled by <see cref="Scale"/> with its aspect kept and
/// centred, the margins left blank. Maps detector coordinates back to the image's pixels.</summary>
public readonly record struct Letterbox(float Scale, float OffsetX, float OffsetY, int ImageWidth, int ImageHeight)
{
    public static Letterbox Fit(int imageWidth, int imageHeight, int inputWidth, int inputHeight)
    {
        var scale = Math.Min((float)inputWidth / imageWidth, (float)inputHeight / imageHeight);
        return new Letterbox(scale, (inputWidth - imageWidth * scale) / 2, (inputHeight - imageHeight * scale) / 2, imageWidth, imageHeight);
    }

    /// <summary>A point of the detector's input in the image's pixels, clamped to the image.</summary>
    public (float X, float Y) ToImage(float inputX, float inputY) =>
        (Math.Clamp((inputX - OffsetX) / Scale, 0, ImageWidth), Math.Clamp((inputY - OffsetY) / Scale, 0, ImageHeight));
}
