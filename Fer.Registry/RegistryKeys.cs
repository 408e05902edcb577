using StackExchange.Redis;

namespace Fer.Registry;

/// <summary>The registry's key layout (see README.md). Public so that tools and tests can inspect the raw data.</summary>
public sealed class RegistryKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    /// <summary>Hash: the registry's generation (field <c>id</c>) and the counter behind version ids (field <c>next</c>),
    /// in one key so that they are lost, and renewed, together.</summary>
    public RedisKey Generation => $"{Prefix}:registry:generation";

    /// <summary>Sorted set: every complete version, scored by its number (publish order).</summary>
    public RedisKey Versions => $"{Prefix}:registry:versions";

    /// <summary>String: the production version id.</summary>
    public RedisKey Production => $"{Prefix}:registry:production";

    /// <summary>List, newest first: element 0 is production, element 1 the rollback target.</summary>
    public RedisKey ProductionHistory => $"{Prefix}:registry:production:history";

    /// <summary>List, newest first: JSON <see cref="Model.ProductionChange"/> records.</summary>
    public RedisKey ProductionEvents => $"{Prefix}:registry:production:events";

    /// <summary>Pub/sub channel that announces every promotion and rollback.</summary>
    public RedisChannel ProductionChannel => RedisChannel.Literal($"{Prefix}:registry:production:changed");

    /// <summary>String: the JSON <see cref="Rollouts.Rollout"/> in progress; absent when none is.</summary>
    public RedisKey Rollout => $"{Prefix}:registry:rollout";

    /// <summary>List, newest first: JSON <see cref="Rollouts.RolloutDecision"/> records.</summary>
    public RedisKey RolloutDecisions => $"{Prefix}:registry:rollout:decisions";

    /// <summary>Hash: each replica's evidence (field: the replica, value: JSON <see cref="Rollouts.VersionEvidence"/> list) for
    /// one step of one rollout; it expires when replicas stop reporting.</summary>
    public RedisKey RolloutEvidence(string rolloutId, int step) => $"{Prefix}:registry:rollout:{rolloutId}:step:{step}:evidence";

    /// <summary>Hash: a version's metadata; written last, so its presence means the version is complete.</summary>
    public RedisKey Metadata(string version) => $"{Prefix}:model:{version}:meta";

    /// <summary>String: chunk <paramref name="index"/> (from 0) of a version's ONNX bytes.</summary>
    public RedisKey Chunk(string version, int index) => $"{Prefix}:model:{version}:chunk:{index}";

    /// <summary>Hash: the monitoring reference attached to a version published without one (<see cref="Monitoring.MonitoringReferenceStore"/>);
    /// removed with the version.</summary>
    public RedisKey MonitoringReference(string version) => $"{Prefix}:monitoring:reference:{version}";
}
