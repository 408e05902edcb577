namespace Fer.Inference.Contracts;

/// <summary>A rectangle in pixels of the upright image (EXIF orientation applied): left, top, width, height.</summary>
public sealed record PixelBox(int X, int Y, int Width, int Height);
