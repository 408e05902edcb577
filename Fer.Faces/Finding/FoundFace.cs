using Fer.Imaging;

namespace Fer.Faces.Finding;

/// <summary>A face to classify: where the detector found it (null when the image was taken whole or by its centre), the
/// square that was cropped (pixels of the upright image; it may leave the image, which is padded with edge pixels), and
/// the crop itself.</summary>
public sealed record FoundFace(FaceBox? Box, int CropLeft, int CropTop, int CropSide, FaceImage Crop);
