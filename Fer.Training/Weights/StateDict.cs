using System.Security.Cryptography;

namespace Fer.Training.Weights;

/// <summary>The named tensors of a weight file, in file order, with the file's format and SHA-256.</summary>
public sealed class StateDict
{
    private readonly Dictionary<string, StoredTensor> _byName;

    public StateDict(IReadOnlyList<KeyValuePair<string, StoredTensor>> tensors, WeightFileFormat format, string source, string sha256)
    {
        Entries = tensors;
        Format = format;
        Source = source;
        Sha256 = sha256;
        _byName = new Dictionary<string, StoredTensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            if (!_byName.TryAdd(name, tensor)) throw new WeightFileException($"{source}: the key '{name}' appears twice");
        }
    }

    public IReadOnlyList<KeyValuePair<string, StoredTensor>> Entries { get; }

    public IEnumerable<string> Keys => Entries.Select(e => e.Key);

    public int Count => Entries.Count;

    public WeightFileFormat Format { get; }

    public string Source { get; }

    /// <summary>Lower-case hex SHA-256 of the file's bytes.</summary>
    public string Sha256 { get; }

    public StoredTensor this[string name] => _byName.TryGetValue(name, out var tensor)
        ? tensor
        : throw new WeightFileException($"{Source}: no tensor named '{name}'");

    public bool TryGet(string name, out StoredTensor tensor) => _byName.TryGetValue(name, out tensor!);

    /// <summary>Reads a torch.save zip checkpoint or a safetensors file, whichever the bytes say it is.</summary>
    public static StateDict Read(string path)
    {
        if (!File.Exists(path)) throw new WeightFileException($"{path}: no such weight file");
        var bytes = File.ReadAllBytes(path);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (bytes.Length >= 4 && bytes[0] == 'P' && bytes[1] == 'K')
        {
            using var stream = new MemoryStream(bytes, writable: false);
            return new StateDict(TorchCheckpointReader.Read(stream, path), WeightFileFormat.TorchZip, path, sha256);
        }
        if (SafetensorsFile.LooksLike(bytes, bytes.Length))
            return new StateDict(SafetensorsFile.Read(bytes, path), WeightFileFormat.Safetensors, path, sha256);
        if (bytes.Length >= 2 && bytes[0] == 0x80)
            throw new WeightFileException($"{path}: a legacy (pre-1.6, non-zip) torch.save file; re-save it with a current torch.save or as safetensors");
        throw new WeightFileException($"{path}: neither a torch.save zip checkpoint nor a safetensors file ({bytes.Length} bytes)");
    }
}
