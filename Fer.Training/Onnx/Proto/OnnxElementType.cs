namespace Fer.Training.Onnx.Proto;

/// <summary>TensorProto.DataType values (onnx.proto) for the element types this exporter uses.</summary>
public enum OnnxElementType
{
    Float = 1,
    Int64 = 7,
}
