namespace Fer.Benchmarks;

/// <summary>One FER2013 test face as the monitoring loop sends it: the PNG of its shifted 48x48 pixels and its true class
/// (an index into <see cref="Fer.Contracts.EmotionLabels.Names"/>).</summary>
public sealed record ShiftedFace(byte[] Png, int Label);
