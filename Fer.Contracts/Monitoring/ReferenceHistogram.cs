using System.Text.Json.Serialization;

namespace Fer.Contracts.Monitoring;

/// <summary>Counts of a value in bins: <see cref="Edges"/> are the inner edges, ascending, so there are one more bins
/// than edges (the first holds everything below the first edge, the last everything from the last edge up). The
/// reference's edges are its own deciles, so that each bin holds about a tenth of the validation set.</summary>
public sealed record ReferenceHistogram(double[] Edges, long[] Counts)
{
    [JsonIgnore]
    public int Bins => Edges.Length + 1;

    /// <summary>The bin <paramref name="value"/> falls in (a value equal to an edge goes to the bin above it).</summary>
    public int BinOf(double value)
    {
        var index = Array.BinarySearch(Edges, value);
        return index >= 0 ? index + 1 : ~index;
    }

    /// <summary>Edges at the <paramref name="bins"/>-quantiles of <paramref name="values"/> (repeated edges dropped, so a
    /// value that many samples share gets one bin), and the counts of the values in them.</summary>
    public static ReferenceHistogram OfQuantiles(IReadOnlyCollection<double> values, int bins)
    {
        var sorted = values.Order().ToArray();
        var edges = new List<double>();
        for (var i = 1; i < bins && sorted.Length > 0; i++)
        {
            var edge = sorted[Math.Min(sorted.Length - 1, (int)Math.Round((double)i * sorted.Length / bins))];
            if (edges.Count == 0 || edge > edges[^1]) edges.Add(edge);
        }
        var histogram = new ReferenceHistogram([.. edges], new long[edges.Count + 1]);
        foreach (var value in sorted) histogram.Counts[histogram.BinOf(value)]++;
        return histogram;
    }
}
