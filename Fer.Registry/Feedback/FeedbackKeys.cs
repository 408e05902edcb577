using StackExchange.Redis;

namespace Fer.Registry.Feedback;

/// <summary>The feedback store's keys and channels, under the registry's prefix.</summary>
public sealed class FeedbackKeys(string prefix)
{
    /// <summary>Hash: id -> JSON <see cref="FeedbackEntry"/>.</summary>
    public RedisKey Entries => $"{prefix}:feedback:entries";

    /// <summary>Hash: id -> SHA-256 (hex) of the entry's stored JSON, so the set's hash needs no crop read.</summary>
    public RedisKey Digests => $"{prefix}:feedback:digests";

    /// <summary>Hash: id -> the emotion given, for counts per emotion without reading crops.</summary>
    public RedisKey Labels => $"{prefix}:feedback:labels";

    /// <summary>Hash: id -> "{version}\n{answered emotion}", for the accuracy per version without reading crops.</summary>
    public RedisKey Answers => $"{prefix}:feedback:answers";

    /// <summary>Sorted set: ids scored by the time they were given (Unix ms), for retention and the bound.</summary>
    public RedisKey Index => $"{prefix}:feedback:index";

    /// <summary>Pub/sub channel on which a replica hears feedback for the predictions it answered.</summary>
    public RedisChannel Replica(string replica) => RedisChannel.Literal($"{prefix}:feedback:replica:{replica}");

    /// <summary>Pub/sub channel on which a replica hears the answers to feedback it passed on.</summary>
    public RedisChannel Replies(string replica) => RedisChannel.Literal($"{prefix}:feedback:replies:{replica}");
}
