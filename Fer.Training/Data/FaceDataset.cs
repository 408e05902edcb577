using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Fer.Contracts;

namespace Fer.Training.Data;

/// <summary>An immutable list of labelled faces, plus what was skipped while reading it.</summary>
public sealed class FaceDataset
{
    public FaceDataset(string name, IReadOnlyList<FaceSample> samples, IReadOnlyList<string>? skipped = null)
    {
        Name = name;
        Samples = samples;
        Skipped = skipped ?? [];
    }

    public string Name { get; }

    public IReadOnlyList<FaceSample> Samples { get; }

    /// <summary>Unreadable files that were left out, each as "path: reason".</summary>
    public IReadOnlyList<string> Skipped { get; }

    public int Count => Samples.Count;

    public int[] ClassCounts()
    {
        var counts = new int[EmotionLabels.Count];
        foreach (var sample in Samples) counts[sample.Label]++;
        return counts;
    }

    public FaceDataset Subset(string name, IEnumerable<int> indices) =>
        new(name, indices.Select(i => Samples[i]).ToList());

    /// <summary>A stable fingerprint of the pixels and labels (order-sensitive), for run metadata and resume checks.</summary>
    public string Fingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> label = stackalloc byte[1];
        foreach (var sample in Samples)
        {
            hash.AppendData(MemoryMarshal.AsBytes(sample.Pixels.AsSpan()));
            label[0] = (byte)sample.Label;
            hash.AppendData(label);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
