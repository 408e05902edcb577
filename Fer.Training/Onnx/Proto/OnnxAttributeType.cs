namespace Fer.Training.Onnx.Proto;

/// <summary>AttributeProto.AttributeType values (onnx.proto) for the attribute kinds this exporter uses.</summary>
public enum OnnxAttributeType
{
    Float = 1,
    Int = 2,
    String = 3,
    Ints = 7,
}
