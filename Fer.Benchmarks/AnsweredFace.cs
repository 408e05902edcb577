namespace Fer.Benchmarks;

/// <summary>A face /predict answered: its prediction id (what <c>POST /feedback</c> takes) and its true class.</summary>
public sealed record AnsweredFace(string Id, int Label);
