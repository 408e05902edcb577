namespace Fer.Registry.Monitoring;

/// <summary>What <see cref="MonitoringReferenceStore.AttachAsync"/> did.</summary>
public enum ReferenceAttachOutcome
{
    /// <summary>The reference is stored beside the version (replacing an attached one, when forced).</summary>
    Attached,

    /// <summary>No such version (never published, or removed by retention meanwhile).</summary>
    VersionNotFound,

    /// <summary>The version shipped with a reference in its metrics: that one stands, nothing was written.</summary>
    VersionHasItsOwn,

    /// <summary>A reference is attached already, and replacing it was not asked for: nothing was written.</summary>
    AlreadyAttached,
}
