using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Fer.Training.Onnx.Proto;

/// <summary>
/// A minimal protobuf encoder: tags, varints, fixed32 floats, length-delimited strings/bytes and nested messages.
/// Nested messages are encoded into a child writer first, so their length prefix is known when they are copied in.
/// </summary>
public sealed class ProtoWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public ProtoWriter(int initialCapacity = 256) => _buffer = new ArrayBufferWriter<byte>(initialCapacity);

    public int Length => _buffer.WrittenCount;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void WriteTag(int fieldNumber, ProtoWireType wireType)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fieldNumber, 1);
        WriteVarint(((ulong)fieldNumber << 3) | (uint)wireType);
    }

    public void WriteVarint(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        _buffer.Advance(i);
    }

    /// <summary>int64 and int32 fields: negative values are sign-extended to ten bytes, as the spec requires.</summary>
    public void WriteInt64(int fieldNumber, long value)
    {
        WriteTag(fieldNumber, ProtoWireType.Varint);
        WriteVarint(unchecked((ulong)value));
    }

    public void WriteFloat(int fieldNumber, float value)
    {
        WriteTag(fieldNumber, ProtoWireType.Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteString(int fieldNumber, string value)
    {
        WriteTag(fieldNumber, ProtoWireType.LengthDelimited);
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarint((ulong)length);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
    }

    public void WriteBytes(int fieldNumber, ReadOnlySpan<byte> value)
    {
        WriteTag(fieldNumber, ProtoWireType.LengthDelimited);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    /// <summary>Bytes that are already encoded fields (copied from another message).</summary>
    public void WriteRaw(ReadOnlySpan<byte> encoded) => _buffer.Write(encoded);

    public void WriteMessage(int fieldNumber, Action<ProtoWriter> writeBody)
    {
        var child = new ProtoWriter();
        writeBody(child);
        WriteBytes(fieldNumber, child.WrittenSpan);
    }
}
