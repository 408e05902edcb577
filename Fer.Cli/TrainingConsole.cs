using System.Collections.Concurrent;
using System.Globalization;
using Fer.Training.Runs;
using Spectre.Console;

namespace Fer.Cli;

/// <summary>
/// Shows a run's progress: a live Spectre.Console bar (phase, epoch, batch, loss, images/s, ETA) on a terminal, plain
/// lines (log lines, and a progress line every few seconds) when the output is redirected. Reports arrive on the
/// training thread and are only recorded there; all drawing happens on the caller's thread.
/// </summary>
public sealed class TrainingConsole : IProgress<TrainingProgress>
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<string> _lines = new();
    private TrainingProgress? _latest;

    public void Report(TrainingProgress value)
    {
        if (value.Message is { } line) _lines.Enqueue(line);
        else if (value.CompletedEpoch is null) Volatile.Write(ref _latest, value);
    }

    public async Task<T> ShowAsync<T>(Task<T> work)
    {
        var interactive = AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;
        if (!interactive) return await PlainAsync(work);

        T result = default!;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask("starting", maxValue: 1);
                while (!work.IsCompleted)
                {
                    Drain(l => AnsiConsole.MarkupLine(Markup.Escape(l)));
                    if (Volatile.Read(ref _latest) is { } p)
                    {
                        bar.Description = Markup.Escape(Describe(p));
                        bar.MaxValue = Math.Max(1, p.Batches);
                        bar.Value = p.Batch;
                    }
                    await Task.WhenAny(work, Task.Delay(200));
                }
                Drain(l => AnsiConsole.MarkupLine(Markup.Escape(l)));
                bar.Value = bar.MaxValue;
                bar.StopTask();
                result = await work;
            });
        return result;
    }

    private async Task<T> PlainAsync<T>(Task<T> work)
    {
        var lastLine = DateTime.UtcNow;
        TrainingProgress? printed = null;
        while (!work.IsCompleted)
        {
            await Task.WhenAny(work, Task.Delay(250));
            Drain(Console.WriteLine);
            var p = Volatile.Read(ref _latest);
            if (p is not null && p != printed && DateTime.UtcNow - lastLine >= PlainInterval)
            {
                Console.WriteLine(Describe(p));
                printed = p;
                lastLine = DateTime.UtcNow;
            }
        }
        Drain(Console.WriteLine);
        return await work;
    }

    private void Drain(Action<string> write)
    {
        while (_lines.TryDequeue(out var line)) write(line);
    }

    private static string Describe(TrainingProgress p)
    {
        var eta = p.Eta is { } e ? $" | ETA {e:hh\\:mm\\:ss}" : "";
        var loss = double.IsNaN(p.Loss) ? "" : $" | loss {p.Loss.ToString("F4", CultureInfo.InvariantCulture)}";
        var rate = $" | {p.ImagesPerSecond.ToString("F0", CultureInfo.InvariantCulture)} img/s";
        return p.Stage switch
        {
            TrainingStage.Caching => $"phase {p.Phase} | caching features | batch {p.Batch}/{p.Batches}{rate}",
            TrainingStage.Validating => $"phase {p.Phase} | epoch {p.Epoch}/{p.Epochs} | validating{loss}",
            TrainingStage.Training => $"phase {p.Phase} | epoch {p.Epoch}/{p.Epochs} | batch {p.Batch}/{p.Batches}{loss}{rate}{eta}",
            _ => p.Stage.ToString().ToLowerInvariant(),
        };
    }
}
