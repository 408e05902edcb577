namespace Fer.Tests.Monitoring;

/// <summary>One FER2013 test face as a replay sends it: its 8-bit pixels (48x48, shifted as asked), the PNG sent to
/// /predict, and its true class.</summary>
public sealed record ReplayFace(byte[] Gray, byte[] Png, int Label)
{
    /// <summary>The pixels as the model's input, in [0, 1].</summary>
    public float[] Pixels => [.. Gray.Select(g => g / 255f)];
}
