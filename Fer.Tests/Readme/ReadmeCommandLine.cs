namespace Fer.Tests.Readme;

/// <summary>One command line of the README as written (continuation lines joined), the line it starts on, and why it is
/// not run when the README says so.</summary>
public sealed record ReadmeCommandLine(int LineNumber, string Text, string? SkipReason);
