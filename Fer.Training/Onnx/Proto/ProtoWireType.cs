namespace Fer.Training.Onnx.Proto;

/// <summary>The protobuf wire types this writer emits (protobuf encoding spec, "Message Structure").</summary>
public enum ProtoWireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}
