using Fer.Registry.Monitoring;

namespace Fer.Trainer.Monitoring;

/// <summary>What <see cref="ReferenceAttacher.AttachAsync"/> did: its outcome, and the reference attached or found.</summary>
public sealed record ReferenceAttachment(ReferenceAttachOutcome Outcome, AttachedReference? Attached = null);
