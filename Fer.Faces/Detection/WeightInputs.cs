namespace Fer.Faces.Detection;

/// <summary>
/// UltraFace's published graphs list every weight among the graph's inputs as well as its initializers, which tells ONNX
/// Runtime that a caller may replace them: it then folds no constant (batch normalisation stays unfused) and warns once
/// per weight. This removes those input entries from the serialized model (a protobuf edit of <c>ModelProto.graph</c>'s
/// <c>input</c> fields; nothing else changes), which made both detectors faster in runs at differing load (the ratio is not measured) here with the same boxes (docs/faces.md).
/// </summary>
internal static class WeightInputs
{
    private const int ModelGraph = 7, GraphInitializer = 5, GraphInput = 11, TensorName = 8, ValueInfoName = 1;
    private const int LengthDelimited = 2;

    /// <summary>The model without weights among its graph's inputs; the bytes unchanged when there are none, or when
    /// they cannot be read as a model (ONNX Runtime then says what is wrong).</summary>
    public static byte[] Remove(byte[] model)
    {
        try
        {
            var output = new MemoryStream(model.Length);
            var changed = false;
            foreach (var field in Fields(model, 0, model.Length))
            {
                if (field.Number == ModelGraph && field.Type == LengthDelimited)
                {
                    var graph = Graph(model, field.Start, field.Length);
                    changed |= graph.Length != field.Length;
                    WriteVarint(output, (ulong)field.Key);
                    WriteVarint(output, (ulong)graph.Length);
                    output.Write(graph);
                }
                else output.Write(model, field.KeyStart, field.End - field.KeyStart);
            }
            return changed ? output.ToArray() : model;
        }
        catch (InvalidDataException)
        {
            return model;
        }
    }

    /// <summary>The graph's bytes without the input entries that name an initializer.</summary>
    private static byte[] Graph(byte[] model, int start, int length)
    {
        var weights = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in Fields(model, start, start + length))
            if (field.Number == GraphInitializer && field.Type == LengthDelimited && Name(model, field, TensorName) is { } name)
                weights.Add(name);
        var output = new MemoryStream(length);
        foreach (var field in Fields(model, start, start + length))
        {
            var isWeight = field.Number == GraphInput && field.Type == LengthDelimited && Name(model, field, ValueInfoName) is { } name && weights.Contains(name);
            if (!isWeight) output.Write(model, field.KeyStart, field.End - field.KeyStart);
        }
        return output.ToArray();
    }

    private static string? Name(byte[] model, Field message, int nameField)
    {
        foreach (var field in Fields(model, message.Start, message.Start + message.Length))
            if (field.Number == nameField && field.Type == LengthDelimited)
                return System.Text.Encoding.UTF8.GetString(model, field.Start, field.Length);
        return null;
    }

    /// <summary>The fields of the message in <c>[from, to)</c>: for each, its key's position and value, and its payload
    /// (the bytes of a length-delimited field; the value's bytes otherwise).</summary>
    private static IEnumerable<Field> Fields(byte[] bytes, int from, int to)
    {
        var at = from;
        while (at < to)
        {
            var keyStart = at;
            var key = ReadVarint(bytes, ref at, to);
            var type = (int)(key & 7);
            var start = at;
            switch (type)
            {
                case 0: ReadVarint(bytes, ref at, to); break;
                case 1: at += 8; break;
                case 5: at += 4; break;
                case LengthDelimited:
                    var length = ReadVarint(bytes, ref at, to);
                    if (length > (ulong)(to - at)) throw new InvalidDataException("a field runs past its message");
                    start = at;
                    at += (int)length;
                    break;
                default: throw new InvalidDataException($"protobuf wire type {type} is not used by ONNX");
            }
            if (at > to) throw new InvalidDataException("a field runs past its message");
            yield return new Field(keyStart, (long)key, (int)(key >> 3), type, start, at - start, at);
        }
    }

    private static ulong ReadVarint(byte[] bytes, ref int at, int to)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= to) throw new InvalidDataException("a varint runs past its message");
            var b = bytes[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
        throw new InvalidDataException("a varint longer than 10 bytes");
    }

    private static void WriteVarint(Stream output, ulong value)
    {
        for (; value >= 0x80; value >>= 7) output.WriteByte((byte)(value | 0x80));
        output.WriteByte((byte)value);
    }

    private readonly record struct Field(int KeyStart, long Key, int Number, int Type, int Start, int Length, int End);
}
