namespace Fer.AppHost.Supervision;

/// <summary>One line a replica wrote (stdout/stderr) or the AppHost wrote about it (system).</summary>
public sealed record ConsoleLine(long Sequence, DateTimeOffset Time, string Stream, string Text);
