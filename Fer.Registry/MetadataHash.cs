using System.Globalization;
using Fer.Registry.Errors;
using Fer.Registry.Model;
using StackExchange.Redis;

namespace Fer.Registry;

/// <summary>Maps <see cref="ModelVersionInfo"/> to and from the fields of a version's metadata hash.</summary>
internal static class MetadataHash
{
    public const string Version = "version";
    public const string CreatedAt = "createdAt";
    public const string Metrics = "metrics";
    public const string ImageSize = "imageSize";
    public const string DatasetFingerprint = "datasetFingerprint";
    public const string TrainingOptions = "trainingOptions";
    public const string ParentVersion = "parentVersion";
    public const string SizeBytes = "sizeBytes";
    public const string ChunkCount = "chunkCount";
    public const string ChunkSizeBytes = "chunkSizeBytes";
    public const string Sha256 = "sha256";

    public static HashEntry[] ToEntries(ModelVersionInfo info)
    {
        var entries = new List<HashEntry>
        {
            new(Version, info.Version),
            new(CreatedAt, info.CreatedAt.ToString("O", CultureInfo.InvariantCulture)),
            new(Metrics, info.MetricsJson),
            new(ImageSize, info.ImageSize),
            new(DatasetFingerprint, info.DatasetFingerprint),
            new(TrainingOptions, info.TrainingOptionsJson),
            new(SizeBytes, info.SizeBytes),
            new(ChunkCount, info.ChunkCount),
            new(ChunkSizeBytes, info.ChunkSizeBytes),
            new(Sha256, info.Sha256),
        };
        if (info.ParentVersion is not null) entries.Add(new HashEntry(ParentVersion, info.ParentVersion));
        return [.. entries];
    }

    public static ModelVersionInfo Parse(string version, HashEntry[] entries)
    {
        var fields = entries.ToDictionary(entry => entry.Name.ToString(), entry => entry.Value.ToString(), StringComparer.Ordinal);

        string Required(string name) => fields.TryGetValue(name, out var value)
            ? value
            : throw new ModelIntegrityException($"model version '{version}' has damaged metadata: field '{name}' is missing", version);

        long Number(string name)
        {
            var text = Required(name);
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= 0
                ? number
                : throw new ModelIntegrityException($"model version '{version}' has damaged metadata: field '{name}' is '{text}', not a count", version);
        }

        var createdText = Required(CreatedAt);
        if (!DateTimeOffset.TryParse(createdText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var createdAt))
            throw new ModelIntegrityException($"model version '{version}' has damaged metadata: field '{CreatedAt}' is '{createdText}', not a time", version);

        var info = new ModelVersionInfo
        {
            Version = Required(Version),
            CreatedAt = createdAt,
            MetricsJson = Required(Metrics),
            ImageSize = (int)Math.Min(Number(ImageSize), int.MaxValue),
            DatasetFingerprint = Required(DatasetFingerprint),
            TrainingOptionsJson = Required(TrainingOptions),
            ParentVersion = fields.GetValueOrDefault(ParentVersion),
            SizeBytes = Number(SizeBytes),
            ChunkCount = (int)Math.Min(Number(ChunkCount), int.MaxValue),
            ChunkSizeBytes = (int)Math.Min(Number(ChunkSizeBytes), int.MaxValue),
            Sha256 = Required(Sha256),
        };

        var consistent = info.Version == version && info.ChunkSizeBytes > 0 && info.SizeBytes <= Array.MaxLength
            && info.ChunkCount == (info.SizeBytes + info.ChunkSizeBytes - 1) / info.ChunkSizeBytes;
        return consistent
            ? info
            : throw new ModelIntegrityException(
                $"model version '{version}' has inconsistent metadata: version '{info.Version}', {info.SizeBytes} bytes, " +
                $"{info.ChunkCount} chunks of {info.ChunkSizeBytes} bytes", version);
    }
}
