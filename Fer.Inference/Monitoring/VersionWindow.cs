using Fer.Contracts;
using Fer.Contracts.Monitoring;

namespace Fer.Inference.Monitoring;

/// <summary>
/// One version's sliding window: the last <see cref="DriftOptions.WindowFaces"/> faces as one bin index per statistic
/// (a byte each), their calibrated confidence, and their probabilities at the reference's transport temperature (a
/// byte each, in 1/255) for the transport estimate, in a ring of fixed size, with running counts per bin. Its memory is
/// fixed when it is made (<see cref="BytesHeld"/>), whatever the traffic. Every <see cref="DriftOptions.CheckEvery"/>
/// faces, once it holds <see cref="DriftOptions.MinFaces"/>, each statistic the reference describes is tested
/// (<see cref="ChiSquareTest"/>). Not thread-safe: <see cref="DriftMonitor"/> locks it.
/// </summary>
internal sealed class VersionWindow
{
    private const byte Absent = byte.MaxValue;

    private readonly DriftOptions options;
    private readonly byte[][] ring;
    private readonly float[] calibrated;
    private readonly byte[] probabilities;
    private readonly double[]? classShares;
    private readonly long[][] counts;
    private readonly long[]?[] referenceCounts;
    private readonly ReferenceHistogram?[] histograms;
    private readonly double[] scores;
    private int next;
    private int sinceCheck;
    private double calibratedSum;
    private int aboveThreshold;
    private (long Seen, double Value)? transport;

    public VersionWindow(string version, MonitoringReference reference, DriftOptions options)
    {
        Version = version;
        Reference = reference;
        this.options = options;
        histograms = [null, reference.Confidence, reference.Brightness, reference.Contrast, reference.Sharpness, reference.FaceSize, reference.DetectorScore];
        referenceCounts = [.. Enumerable.Range(0, DriftStatistic.Count).Select(s => s == DriftStatistic.Class
            ? (reference.Classes.Length == EmotionLabels.Count ? reference.Classes : null)
            : histograms[s]?.Counts)];
        ring = [.. Enumerable.Range(0, DriftStatistic.Count).Select(_ => new byte[options.WindowFaces])];
        counts = [.. Enumerable.Range(0, DriftStatistic.Count).Select(s => new long[s == DriftStatistic.Class ? EmotionLabels.Count : (histograms[s]?.Bins ?? 0)])];
        calibrated = new float[options.WindowFaces];
        probabilities = new byte[options.WindowFaces * EmotionLabels.Count];
        classShares = reference.ClassShares is { } shares && shares.Length == EmotionLabels.Count ? shares : null;
        scores = [.. Enumerable.Repeat(double.NaN, DriftStatistic.Count)];
    }

    public string Version { get; }

    public MonitoringReference Reference { get; }

    /// <summary>Faces answered since the window was made; <see cref="Held"/> of them are in it.</summary>
    public long Seen { get; private set; }

    public int Held { get; private set; }

    /// <summary>When this version was last answered with (for making room for another).</summary>
    public long LastUsed { get; set; }

    /// <summary>The statistics in alarm at the last check, and since when the alarm holds.</summary>
    public IReadOnlyList<string> Alarms { get; private set; } = [];

    public DateTimeOffset? AlarmSince { get; private set; }

    /// <summary>The bytes of the window's arrays: fixed at creation.</summary>
    public long BytesHeld => ring.Sum(r => (long)r.Length) + calibrated.Length * sizeof(float) + probabilities.Length
        + counts.Sum(c => (long)c.Length * sizeof(long));

    /// <summary>The label-free accuracy estimate: the transport estimate of the window's faces
    /// (<see cref="TransportEstimate"/>), or where the reference has no class shares (made before them), the mean
    /// calibrated confidence. <see cref="DriftMonitor"/> solves it outside its lock before each read
    /// (<see cref="StaleTransport"/>), so it may leave out faces added in between; solved here only when none is.</summary>
    public double? EstimatedAccuracy => classShares is null ? MeanCalibratedConfidence : TransportAccuracy;

    /// <summary>The mean calibrated confidence of the faces in the window.</summary>
    public double? MeanCalibratedConfidence => Held == 0 ? null : calibratedSum / Held;

    private double? TransportAccuracy
    {
        get
        {
            if (Held == 0 || classShares is null) return null;
            if (transport is null) SetTransport(Seen, TransportEstimate.Accuracy(TransportRows(), classShares));
            return transport!.Value.Value;
        }
    }

    /// <summary>A copy of the window's probabilities when its transport estimate is out of date (else null), so that
    /// <see cref="DriftMonitor"/> can solve it outside its lock; <see cref="SetTransport"/> stores the result.</summary>
    public (long Seen, float[] Rows, double[] Shares)? StaleTransport() =>
        Held == 0 || classShares is null || transport?.Seen == Seen ? null : (Seen, TransportRows(), classShares);

    public void SetTransport(long seen, double value)
    {
        if (transport is not { } cached || cached.Seen <= seen) transport = (seen, value);
    }

    private float[] TransportRows()
    {
        var rows = new float[Held * EmotionLabels.Count];
        for (var i = 0; i < rows.Length; i++) rows[i] = probabilities[i] / 255f;
        return rows;
    }

    /// <summary>The share of the window's faces whose calibrated confidence exceeds the reference's threshold: the
    /// average-thresholded-confidence estimate (null without faces or a threshold).</summary>
    public double? ThresholdedAccuracy => Held == 0 || Reference.ConfidenceThreshold is null ? null : (double)aboveThreshold / Held;

    private float Threshold => Reference.ConfidenceThreshold is { } t ? (float)t : float.PositiveInfinity;

    public IReadOnlyDictionary<string, double> Scores => DriftStatistic.Names.Select((name, s) => (name, score: scores[s]))
        .Where(pair => !double.IsNaN(pair.score)).ToDictionary(pair => pair.name, pair => Math.Round(pair.score, 3));

    /// <summary>The score of one statistic at the last check (NaN: not tested).</summary>
    public double ScoreOf(int statistic) => scores[statistic];

    /// <summary>Adds a face (evicting the oldest when full); true when the tests ran.</summary>
    public bool Add(in FaceObservation face, DateTimeOffset now)
    {
        if (Held == ring[0].Length)
        {
            for (var s = 0; s < DriftStatistic.Count; s++)
                if (ring[s][next] != Absent) counts[s][ring[s][next]]--;
            calibratedSum -= calibrated[next];
            if (calibrated[next] > Threshold) aboveThreshold--;
        }
        else
        {
            Held++;
        }
        for (var s = 0; s < DriftStatistic.Count; s++)
        {
            var bin = BinOf(s, face);
            ring[s][next] = bin;
            if (bin != Absent) counts[s][bin]++;
        }
        calibrated[next] = (float)face.CalibratedConfidence;
        var stored = probabilities.AsSpan(next * EmotionLabels.Count, EmotionLabels.Count);
        for (var c = 0; c < EmotionLabels.Count; c++)
            stored[c] = c < face.CalibratedProbabilities.Length ? (byte)Math.Round(Math.Clamp(face.CalibratedProbabilities[c], 0, 1) * 255) : (byte)0;
        calibratedSum += calibrated[next];
        if (calibrated[next] > Threshold) aboveThreshold++;
        next = (next + 1) % ring[0].Length;
        Seen++;
        if (Held < options.MinFaces || ++sinceCheck < options.CheckEvery && Held > options.MinFaces) return false;
        sinceCheck = 0;
        Check(now);
        return true;
    }

    private void Check(DateTimeOffset now)
    {
        var alarms = new List<string>();
        for (var s = 0; s < DriftStatistic.Count; s++)
        {
            // A statistic the reference does not describe, or one too few faces in the window have (face size and
            // detector score exist only for detected faces), is not tested.
            if (referenceCounts[s] is not { } reference || counts[s].Sum() < options.MinFaces)
            {
                scores[s] = double.NaN;
                continue;
            }
            scores[s] = ChiSquareTest.Score(counts[s], reference);
            if (scores[s] >= options.AlarmScore) alarms.Add(DriftStatistic.Names[s]);
        }
        AlarmSince = alarms.Count == 0 ? null : AlarmSince ?? now;
        Alarms = alarms;
    }

    private byte BinOf(int statistic, in FaceObservation face)
    {
        if (statistic == DriftStatistic.Class) return (uint)face.Class < EmotionLabels.Count ? (byte)face.Class : Absent;
        if (histograms[statistic] is not { } histogram) return Absent;
        double? value = statistic switch
        {
            DriftStatistic.Confidence => face.Confidence,
            DriftStatistic.Brightness => face.Statistics.Brightness,
            DriftStatistic.Contrast => face.Statistics.Contrast,
            DriftStatistic.Sharpness => face.Statistics.Sharpness,
            DriftStatistic.FaceSize => face.FaceSize,
            _ => face.DetectorScore,
        };
        return value is { } v ? (byte)histogram.BinOf(v) : Absent;
    }
}
