using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Fer.Registry.Feedback;

/// <summary>
/// The labelled faces users gave, in the registry's Redis (durable where the registry is): each entry once under its
/// prediction id (a second label for the same face replaces the first), bounded by <see cref="FeedbackOptions.MaxEntries"/>
/// (oldest first out) and <see cref="FeedbackOptions.Retention"/>. The set is named by its content: a SHA-256 over its
/// entries in id order (<see cref="ContentHash"/>), so a training run can say exactly which labels it used.
/// </summary>
public sealed class FeedbackStore(ModelRegistry registry, IConnectionMultiplexer redis, IOptions<FeedbackOptions> options, TimeProvider time)
{
    public FeedbackKeys Keys { get; } = new(registry.Keys.Prefix);

    private IDatabase Db => redis.GetDatabase();

    /// <summary>Stores (or replaces) one label, then applies the bounds; returns how many labels the store holds.</summary>
    public async Task<long> AddAsync(FeedbackEntry entry)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(entry, FeedbackJsonContext.Default.FeedbackEntry);
        var transaction = Db.CreateTransaction();
        _ = transaction.HashSetAsync(Keys.Entries, entry.Id, json);
        _ = transaction.HashSetAsync(Keys.Digests, entry.Id, Digest(json));
        _ = transaction.HashSetAsync(Keys.Labels, entry.Id, entry.Emotion);
        _ = transaction.HashSetAsync(Keys.Answers, entry.Id, Answer(entry));
        _ = transaction.SortedSetAddAsync(Keys.Index, entry.Id, entry.ReceivedAt.ToUnixTimeMilliseconds());
        await transaction.ExecuteAsync();
        await TrimAsync();
        return await Db.SortedSetLengthAsync(Keys.Index);
    }

    /// <summary>Count, content hash and per-emotion counts, read from the digests and labels (no crop is read).</summary>
    public async Task<FeedbackSummary> SummaryAsync()
    {
        await TrimAsync();
        var digests = await Db.HashGetAllAsync(Keys.Digests);
        var oldest = await Db.SortedSetRangeByRankWithScoresAsync(Keys.Index, 0, 0);
        var newest = await Db.SortedSetRangeByRankWithScoresAsync(Keys.Index, -1, -1);
        var perEmotion = new Dictionary<string, int>();
        foreach (var label in await Db.HashValuesAsync(Keys.Labels))
            perEmotion[label.ToString()] = perEmotion.GetValueOrDefault(label.ToString()) + 1;
        var value = options.Value;
        return new FeedbackSummary(digests.Length, ContentHash(digests.Select(d => (d.Name.ToString(), d.Value.ToString()))), perEmotion,
            oldest.Length == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)oldest[0].Score),
            newest.Length == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)newest[0].Score),
            value.MaxEntries, value.Retention);
    }

    /// <summary>Per version that answered a labelled face, the share of labels equal to its answer, read from the labels
    /// and answers (no crop is read). A label kept before answers were indexed is read once from its entry and indexed.</summary>
    public async Task<FeedbackAccuracy> AccuracyAsync()
    {
        await TrimAsync();
        var labels = (await Db.HashGetAllAsync(Keys.Labels)).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
        var answers = (await Db.HashGetAllAsync(Keys.Answers)).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
        var unindexed = labels.Keys.Where(id => !answers.ContainsKey(id)).Select(id => (RedisValue)id).ToArray();
        if (unindexed.Length > 0)
        {
            var entries = (await Db.HashGetAsync(Keys.Entries, unindexed)).Select(Read).OfType<FeedbackEntry>().ToList();
            foreach (var entry in entries) answers[entry.Id] = Answer(entry);
            if (entries.Count > 0) await Db.HashSetAsync(Keys.Answers, [.. entries.Select(e => new HashEntry(e.Id, Answer(e)))]);
        }
        var perVersion = labels
            .Where(label => answers.ContainsKey(label.Key))
            .Select(label => (Answer: answers[label.Key].Split('\n', 2), Label: label.Value))
            .Where(pair => pair.Answer.Length == 2)
            .GroupBy(pair => pair.Answer[0], StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => FeedbackAccuracy.Version.Of(g.Key, g.Count(), g.Count(pair => pair.Answer[1] == pair.Label)));
        return new FeedbackAccuracy([.. perVersion]);
    }

    /// <summary>Every label now kept, in id order, with the hash of exactly these entries.</summary>
    public async Task<FeedbackSnapshot> SnapshotAsync()
    {
        await TrimAsync();
        var stored = await Db.HashGetAllAsync(Keys.Entries);
        var entries = new List<(string Id, string Digest, FeedbackEntry Entry)>();
        foreach (var item in stored)
        {
            if (Read(item.Value) is not { } entry) continue; // a damaged entry is left out, not trained on
            entries.Add((item.Name.ToString(), Digest(item.Value!), entry));
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return new FeedbackSnapshot(ContentHash(entries.Select(e => (e.Id, e.Digest))), [.. entries.Select(e => e.Entry)]);
    }

    /// <summary>The SHA-256 (hex) over "id:digest\n" of every entry in ordinal id order: equal sets, equal hashes.</summary>
    public static string ContentHash(IEnumerable<(string Id, string Digest)> entries)
    {
        var text = new StringBuilder();
        foreach (var (id, digest) in entries.OrderBy(e => e.Id, StringComparer.Ordinal)) text.Append(id).Append(':').Append(digest).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Removes labels past the retention and the oldest beyond the bound.</summary>
    public async Task TrimAsync()
    {
        var value = options.Value;
        var cutoff = (time.GetUtcNow() - value.Retention).ToUnixTimeMilliseconds();
        var expired = await Db.SortedSetRangeByScoreAsync(Keys.Index, double.NegativeInfinity, cutoff, Exclude.Stop);
        var count = await Db.SortedSetLengthAsync(Keys.Index) - expired.Length;
        var overflow = count > value.MaxEntries
            ? await Db.SortedSetRangeByRankAsync(Keys.Index, expired.Length, expired.Length + count - value.MaxEntries - 1)
            : [];
        var gone = expired.Concat(overflow).ToArray();
        if (gone.Length == 0) return;
        var transaction = Db.CreateTransaction();
        _ = transaction.HashDeleteAsync(Keys.Entries, gone);
        _ = transaction.HashDeleteAsync(Keys.Digests, gone);
        _ = transaction.HashDeleteAsync(Keys.Labels, gone);
        _ = transaction.HashDeleteAsync(Keys.Answers, gone);
        _ = transaction.SortedSetRemoveAsync(Keys.Index, gone);
        await transaction.ExecuteAsync();
    }

    private static string Answer(FeedbackEntry entry) => $"{entry.ModelVersion}\n{entry.AnsweredEmotion}";

    private static string Digest(byte[] json) => Convert.ToHexStringLower(SHA256.HashData(json));

    private static FeedbackEntry? Read(RedisValue value)
    {
        if (value.IsNullOrEmpty) return null;
        try
        {
            return JsonSerializer.Deserialize((byte[])value!, FeedbackJsonContext.Default.FeedbackEntry);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
