using Fer.Training.Runs;

namespace Fer.Tests.Runs;

/// <summary>Calls back on the reporting thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
public sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => report(value);
}
