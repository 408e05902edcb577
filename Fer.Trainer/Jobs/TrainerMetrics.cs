using System.Diagnostics.Metrics;
using Fer.Contracts;
using Fer.Training.Runs;

namespace Fer.Trainer.Jobs;

/// <summary>
/// The trainer's Meter: loss and accuracy per finished epoch (tagged split = train | validation), throughput, the
/// current epoch, epoch durations, and job counts by outcome.
/// </summary>
public sealed class TrainerMetrics
{
    private readonly Gauge<double> loss;
    private readonly Gauge<double> accuracy;
    private readonly Gauge<double> macroF1;
    private readonly Gauge<double> imagesPerSecond;
    private readonly Gauge<int> epoch;
    private readonly Histogram<double> epochDuration;
    private readonly Counter<long> jobs;
    private readonly UpDownCounter<int> activeJobs;

    public TrainerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TrainerTelemetry.Name);
        loss = meter.CreateGauge<double>("fer.train.loss", description: "Mean loss of the latest finished epoch");
        accuracy = meter.CreateGauge<double>("fer.train.accuracy", description: "Accuracy of the latest finished epoch");
        macroF1 = meter.CreateGauge<double>("fer.train.macro_f1", description: "Validation macro-F1 of the latest finished epoch");
        imagesPerSecond = meter.CreateGauge<double>("fer.train.images_per_second", unit: "{image}/s", description: "Training throughput");
        epoch = meter.CreateGauge<int>("fer.train.epoch", unit: "{epoch}", description: "The epoch being trained");
        epochDuration = meter.CreateHistogram<double>("fer.train.epoch.duration", unit: "s", description: "How long an epoch took");
        jobs = meter.CreateCounter<long>("fer.train.jobs", unit: "{job}", description: "Training jobs by outcome (started, succeeded, failed, cancelled)");
        activeJobs = meter.CreateUpDownCounter<int>("fer.train.jobs.active", unit: "{job}", description: "Training jobs running now");
    }

    public void JobStarted()
    {
        jobs.Add(1, new KeyValuePair<string, object?>("outcome", "started"));
        activeJobs.Add(1);
    }

    public void JobEnded(TrainJobState state)
    {
        jobs.Add(1, new KeyValuePair<string, object?>("outcome", state.Name()));
        activeJobs.Add(-1);
    }

    public void Progress(TrainProgress progress)
    {
        var phase = new KeyValuePair<string, object?>("phase", progress.Phase);
        if (progress.ImagesPerSecond > 0) imagesPerSecond.Record(progress.ImagesPerSecond, phase);
        if (progress.Epoch > 0) epoch.Record(progress.Epoch, phase);
    }

    public void EpochCompleted(EpochRecord metrics)
    {
        var phase = new KeyValuePair<string, object?>("phase", metrics.Phase);
        var train = new KeyValuePair<string, object?>("split", "train");
        var validation = new KeyValuePair<string, object?>("split", "validation");
        loss.Record(metrics.TrainLoss, phase, train);
        loss.Record(metrics.ValidationLoss, phase, validation);
        accuracy.Record(metrics.TrainAccuracy, phase, train);
        accuracy.Record(metrics.ValidationAccuracy, phase, validation);
        macroF1.Record(metrics.ValidationMacroF1, phase, validation);
        epochDuration.Record(metrics.Seconds, phase);
        if (metrics.ImagesPerSecond > 0) imagesPerSecond.Record(metrics.ImagesPerSecond, phase);
    }
}
