namespace Fer.Inference.Contracts;

/// <summary>The upright image's size in pixels (EXIF orientation applied), the frame of every box.</summary>
public sealed record ImageDimensions(int Width, int Height);
