using System.Diagnostics;

namespace Fer.Registry.Telemetry;

/// <summary>The registry's ActivitySource and Meter name ("Fer.Registry") and its span and tag names.</summary>
public static class RegistryTelemetry
{
    public const string Name = "Fer.Registry";

    public const string PublishSpan = "registry.publish";
    public const string FetchSpan = "registry.fetch";
    public const string PromoteSpan = "registry.promote";
    public const string RollbackSpan = "registry.rollback";
    public const string RetentionSpan = "registry.retention";

    public const string VersionTag = "fer.model.version";
    public const string PreviousVersionTag = "fer.model.previous_version";
    public const string SizeTag = "fer.model.size_bytes";
    public const string ChunksTag = "fer.model.chunks";
    public const string KeyPrefixTag = "fer.registry.key_prefix";
    public const string OutcomeTag = "fer.registry.outcome";
    public const string OperationTag = "fer.registry.operation";
    public const string KindTag = "fer.registry.kind";
    public const string DeletedTag = "fer.registry.deleted";

    public static readonly ActivitySource Source = new(Name);
}
