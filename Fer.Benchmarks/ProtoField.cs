namespace Fer.Benchmarks;

/// <summary>One field of an encoded protobuf message as it lies in the bytes: its number, its wire type, the whole
/// field (tag included, to copy it unchanged) and, for a length-delimited field, its payload.</summary>
public sealed record ProtoField(int Number, int WireType, ReadOnlyMemory<byte> Whole, ReadOnlyMemory<byte> Payload)
{
    private const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;

    public string Text => System.Text.Encoding.UTF8.GetString(Payload.Span);

    /// <summary>The fields of <paramref name="message"/>, in order (wire format: protobuf's encoding spec).</summary>
    public static List<ProtoField> ReadAll(ReadOnlyMemory<byte> message)
    {
        var fields = new List<ProtoField>();
        var position = 0;
        while (position < message.Length)
        {
            var start = position;
            var tag = ReadVarint(message.Span, ref position);
            var wireType = (int)(tag & 7);
            var payload = ReadOnlyMemory<byte>.Empty;
            switch (wireType)
            {
                case Varint:
                    ReadVarint(message.Span, ref position);
                    break;
                case Fixed64:
                    position += 8;
                    break;
                case Fixed32:
                    position += 4;
                    break;
                case LengthDelimited:
                    var length = checked((int)ReadVarint(message.Span, ref position));
                    payload = message.Slice(position, length);
                    position += length;
                    break;
                default:
                    throw new FormatException($"protobuf wire type {wireType} at byte {start} is not supported");
            }
            if (position > message.Length) throw new FormatException($"the protobuf field at byte {start} runs past the message's end");
            fields.Add(new ProtoField((int)(tag >> 3), wireType, message[start..position], payload));
        }
        return fields;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= bytes.Length) throw new FormatException("a protobuf varint runs past the message's end");
            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new FormatException("a protobuf varint is longer than 10 bytes");
    }
}
