using System.Buffers.Binary;
using System.Text;

namespace Fer.AppHost.Otlp;

/// <summary>
/// A minimal reader of the protobuf wire format: tags, varints, fixed 32/64-bit values and length-delimited fields.
/// Unknown fields are skipped, so newer OTLP senders still decode.
/// </summary>
public ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly bool End => _position >= _data.Length;

    /// <summary>Reads the next field's tag; false at the end of the message.</summary>
    public bool TryReadTag(out int field, out WireType wireType)
    {
        if (End)
        {
            (field, wireType) = (0, default);
            return false;
        }
        var tag = ReadVarint();
        field = (int)(tag >> 3);
        wireType = (WireType)(tag & 7);
        if (field <= 0) throw new ProtoException($"invalid field number {field} at byte {_position}");
        return true;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length) throw new ProtoException("truncated varint");
            var b = _data[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new ProtoException($"varint longer than 10 bytes at byte {_position}");
    }

    public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public double ReadDouble() => BitConverter.UInt64BitsToDouble(ReadFixed64());

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadVarint();
        if (length > int.MaxValue) throw new ProtoException($"length {length} too large at byte {_position}");
        return Take((int)length);
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    /// <summary>A number field in whatever wire type it came (varint, fixed64 or fixed32).</summary>
    public long ReadInteger(WireType wireType) => wireType switch
    {
        WireType.Varint => (long)ReadVarint(),
        WireType.Fixed64 => (long)ReadFixed64(),
        WireType.Fixed32 => ReadFixed32(),
        _ => throw new ProtoException($"expected a number, found wire type {wireType} at byte {_position}"),
    };

    public void Skip(WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint: ReadVarint(); break;
            case WireType.Fixed64: Take(8); break;
            case WireType.LengthDelimited: ReadBytes(); break;
            case WireType.Fixed32: Take(4); break;
            default: throw new ProtoException($"unsupported wire type {wireType} at byte {_position}");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || _position + count > _data.Length)
            throw new ProtoException($"field of {count} bytes runs past the end of the message ({_data.Length} bytes) at byte {_position}");
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }
}
