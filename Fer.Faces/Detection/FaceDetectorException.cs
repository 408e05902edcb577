namespace Fer.Faces.Detection;

/// <summary>The face detector cannot be used: its file is missing or damaged, or ONNX Runtime refused it.</summary>
public sealed class FaceDetectorException(string message, Exception? inner = null) : Exception(message, inner);
