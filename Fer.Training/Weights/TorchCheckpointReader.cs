using System.IO.Compression;

namespace Fer.Training.Weights;

/// <summary>
/// Reads a <c>torch.save</c> zip checkpoint of a state_dict: <c>&lt;name&gt;/data.pkl</c> (read with
/// <see cref="RestrictedUnpickler"/>) and the raw storages in <c>&lt;name&gt;/data/&lt;key&gt;</c>.
/// </summary>
internal static class TorchCheckpointReader
{
    public static IReadOnlyList<KeyValuePair<string, StoredTensor>> Read(Stream stream, string source)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new WeightFileException($"{source}: not a complete zip archive, the file is probably truncated or damaged ({e.Message})", e);
        }
        using (archive)
        {
            try
            {
                return ReadArchive(archive, source);
            }
            catch (InvalidDataException e)
            {
                throw new WeightFileException($"{source}: a zip entry cannot be read, the file is damaged ({e.Message})", e);
            }
        }
    }

    private static List<KeyValuePair<string, StoredTensor>> ReadArchive(ZipArchive archive, string source)
    {
        var pickleEntry = archive.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) || e.FullName == "data.pkl")
            ?? throw new WeightFileException($"{source}: a zip file without data.pkl is not a torch.save checkpoint");
        var prefix = pickleEntry.FullName[..^"data.pkl".Length];
        var storages = new Dictionary<string, byte[]>(StringComparer.Ordinal);

        var root = new RestrictedUnpickler(ReadEntry(pickleEntry), $"{source} ({pickleEntry.FullName})", PersistentLoad).Load();
        var stateDict = root as PickleDict
            ?? throw new WeightFileException($"{source}: the checkpoint holds a {root?.GetType().Name ?? "None"}, not a state_dict");

        var tensors = new List<KeyValuePair<string, StoredTensor>>(stateDict.Items.Count);
        foreach (var (key, value) in stateDict.Items)
        {
            if (key is not string name)
                throw new WeightFileException($"{source}: the state_dict has a key that is not a string ({key})");
            if (value is not TensorReference reference)
                throw new WeightFileException($"{source}: state_dict entry '{name}' is a {value?.GetType().Name ?? "None"}, not a tensor");
            tensors.Add(new(name, Materialise(name, reference)));
        }
        return tensors;

        object PersistentLoad(object? pid)
        {
            // ('storage', torch.<Type>Storage, key, location, numel)
            if (pid is not object?[] { Length: 5 } tuple || tuple[0] is not "storage" || tuple[1] is not PickleGlobal type
                || tuple[2] is not string storageKey || tuple[3] is not string location || tuple[4] is not long count)
                throw new WeightFileException($"{source}: a persistent id that is not a torch storage reference");
            var dataType = TensorDataTypes.FromTorchStorage(type.Name)
                ?? throw new WeightFileException($"{source}: unsupported storage type {type}");
            return new StorageReference(dataType, storageKey, location, count);
        }

        StoredTensor Materialise(string name, TensorReference reference)
        {
            var storage = reference.Storage;
            if (!storages.TryGetValue(storage.Key, out var bytes))
            {
                var entryName = $"{prefix}data/{storage.Key}";
                var entry = archive.GetEntry(entryName)
                    ?? throw new WeightFileException($"{source}: tensor '{name}' refers to storage '{entryName}', which the archive lacks (truncated?)");
                bytes = ReadEntry(entry);
                storages[storage.Key] = bytes;
            }
            var elementSize = storage.DataType.ElementSize();
            if (bytes.Length < storage.ElementCount * elementSize)
                throw new WeightFileException($"{source}: storage of '{name}' holds {bytes.Length} bytes, "
                    + $"{storage.ElementCount} {storage.DataType} values need {storage.ElementCount * elementSize} (truncated?)");
            long extent;
            try
            {
                extent = StridedCopy.Extent(reference.Offset, reference.Shape, reference.Stride);
            }
            catch (ArgumentException e)
            {
                throw new WeightFileException($"{source}: tensor '{name}': {e.Message}", e);
            }
            if (reference.Offset < 0 || extent > storage.ElementCount)
                throw new WeightFileException($"{source}: tensor '{name}' {StoredTensor.Format(reference.Shape)} at offset {reference.Offset} "
                    + $"reaches past its storage of {storage.ElementCount} values");
            var data = StridedCopy.Gather(bytes, elementSize, reference.Offset, reference.Shape, reference.Stride);
            return new StoredTensor(storage.DataType, reference.Shape, data);
        }
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry)
    {
        if (entry.Length > Array.MaxLength)
            throw new InvalidDataException($"entry {entry.FullName} claims {entry.Length} bytes, more than one array holds");
        using var stream = entry.Open();
        var bytes = new byte[entry.Length];
        try
        {
            stream.ReadExactly(bytes);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"entry {entry.FullName} ends early", e);
        }
        return bytes;
    }
}
