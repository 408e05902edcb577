using System.Globalization;
using Fer.Training.Networks;

namespace Fer.Benchmarks;

/// <summary>One Cnn48 candidate, written <c>32-64-128-256/1-2-2-2</c> (widths per stage / convolutions per stage).</summary>
public sealed record Cnn48Shape(IReadOnlyList<int> Widths, IReadOnlyList<int> Depths)
{
    public static Cnn48Shape Default { get; } = new(Cnn48.DefaultWidths, Cnn48.DefaultDepths);

    public static Cnn48Shape Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2) throw new ArgumentException($"a shape is WIDTHS/DEPTHS, e.g. 32-64-128-256/1-2-2-2 (got '{text}')");
        return new Cnn48Shape(Numbers(parts[0]), Numbers(parts[1]));
    }

    /// <summary>Multiply-accumulates of one image's forward pass through the convolutions and the head.</summary>
    public long MultiplyAccumulates(int hidden = Cnn48.DefaultHidden, int classes = 7)
    {
        long macs = 0, channels = 1, side = Cnn48.Size;
        for (var s = 0; s < Widths.Count; s++)
        {
            for (var d = 0; d < Depths[s]; d++)
            {
                macs += side * side * 9 * channels * Widths[s];
                channels = Widths[s];
            }
            side /= 2;
        }
        return macs + channels * side * side * hidden + hidden * classes;
    }

    public override string ToString() => $"{string.Join("-", Widths)}/{string.Join("-", Depths)}";

    private static int[] Numbers(string list) => list.Split('-').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
}
