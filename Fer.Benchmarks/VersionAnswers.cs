namespace Fer.Benchmarks;

/// <summary>What one model version answered in the loop's traffic: faces, and faces given their true emotion.</summary>
public sealed class VersionAnswers
{
    private long answered;
    private long correct;

    public long Answered => Interlocked.Read(ref answered);

    public long Correct => Interlocked.Read(ref correct);

    public double Accuracy => Answered == 0 ? double.NaN : (double)Correct / Answered;

    public void Add(bool right)
    {
        Interlocked.Increment(ref answered);
        if (right) Interlocked.Increment(ref correct);
    }
}
