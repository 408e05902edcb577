using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fer.Training.Weights;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a JSON header
/// <c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}</c>, then the data.
/// </summary>
public static class SafetensorsFile
{
    private const string MetadataKey = "__metadata__";
    private const long MaxHeaderBytes = 100_000_000;

    /// <summary>Whether the first bytes look like a safetensors header (a sane length followed by '{').</summary>
    public static bool LooksLike(ReadOnlySpan<byte> head, long fileLength) =>
        head.Length >= 9 && BinaryPrimitives.ReadUInt64LittleEndian(head) is var n && n > 1 && n <= MaxHeaderBytes
        && (long)n + 8 <= fileLength && head[8] == (byte)'{';

    public static IReadOnlyList<KeyValuePair<string, StoredTensor>> Read(byte[] file, string source)
    {
        if (file.Length < 8) throw new WeightFileException($"{source}: too short for a safetensors file ({file.Length} bytes)");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > MaxHeaderBytes || 8 + (long)headerLength > file.Length)
            throw new WeightFileException($"{source}: safetensors header of {headerLength} bytes does not fit a {file.Length}-byte file (truncated?)");
        var dataStart = 8 + (long)headerLength;
        var dataLength = file.Length - dataStart;

        JsonObject header;
        try
        {
            header = JsonNode.Parse(file.AsSpan(8, (int)headerLength)) as JsonObject
                ?? throw new WeightFileException($"{source}: the safetensors header is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new WeightFileException($"{source}: the safetensors header is not valid JSON ({e.Message})", e);
        }

        var tensors = new List<KeyValuePair<string, StoredTensor>>();
        foreach (var (name, node) in header)
        {
            if (name == MetadataKey) continue;
            try
            {
                var dtype = node?["dtype"]?.GetValue<string>() ?? throw new FormatException("no dtype");
                var dataType = TensorDataTypes.FromSafetensors(dtype) ?? throw new FormatException($"unsupported dtype {dtype}");
                var shape = (node["shape"] as JsonArray ?? throw new FormatException("no shape")).Select(d => d!.GetValue<long>()).ToArray();
                var offsets = (node["data_offsets"] as JsonArray ?? throw new FormatException("no data_offsets")).Select(d => d!.GetValue<long>()).ToArray();
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
                    throw new FormatException($"data_offsets [{string.Join(", ", offsets)}] outside the {dataLength} data bytes (truncated?)");
                var expected = shape.Aggregate(1L, (a, b) => a * b) * dataType.ElementSize();
                if (offsets[1] - offsets[0] != expected)
                    throw new FormatException($"{offsets[1] - offsets[0]} bytes for a {dtype} tensor of shape {StoredTensor.Format(shape)} ({expected} needed)");
                var data = file.AsSpan((int)(dataStart + offsets[0]), (int)expected).ToArray();
                tensors.Add(new(name, new StoredTensor(dataType, shape, data)));
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException or JsonException)
            {
                throw new WeightFileException($"{source}: safetensors entry '{name}': {e.Message}", e);
            }
        }
        return tensors;
    }

    public static void Write(string path, IEnumerable<KeyValuePair<string, StoredTensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
            header[MetadataKey] = new JsonObject(metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)JsonValue.Create(m.Value))));
        var list = tensors.ToList();
        long offset = 0;
        foreach (var (name, tensor) in list)
        {
            header[name] = new JsonObject
            {
                ["dtype"] = tensor.DataType.ToSafetensors(),
                ["shape"] = new JsonArray(tensor.Shape.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + tensor.Data.Length),
            };
            offset += tensor.Data.Length;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (json.Length + 7) / 8 * 8;   // the format pads the header with spaces to 8-byte alignment
        using var file = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        file.Write(length);
        file.Write(json);
        for (var i = json.Length; i < padded; i++) file.WriteByte((byte)' ');
        foreach (var (_, tensor) in list) file.Write(tensor.Data);
    }
}
