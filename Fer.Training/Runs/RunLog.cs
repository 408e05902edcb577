using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Fer.Training.Runs;

/// <summary>The run folder's <c>train.log</c> (timestamped lines, appended across resumes), mirrored to the logger and
/// to the progress observer so a front end can show it.</summary>
internal sealed class RunLog(string path, ILogger logger, IProgress<TrainingProgress>? progress, TimeProvider time) : IDisposable
{
    private readonly StreamWriter _file = new(path, append: true) { AutoFlush = true };

    /// <summary>The stage reported with each line.</summary>
    public TrainingStage Stage { get; set; } = TrainingStage.Loading;

    public void Write(string line)
    {
        lock (_file) _file.WriteLine($"{time.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z {line}");
        TrainingLog.RunLine(logger, line);
        progress?.Report(new TrainingProgress(Stage, 0, 0, 0, 0, 0, double.NaN, 0, null, line));
    }

    public void Dispose() => _file.Dispose();
}
