using Fer.Registry;
using Fer.Trainer.Extensions;
using Microsoft.Extensions.Options;

namespace Fer.Trainer.Jobs;

/// <summary>What every job execution needs, gathered once.</summary>
public sealed class TrainJobServices(
    IModelTrainer trainer,
    ModelRegistry registry,
    Fer.Registry.Rollouts.RolloutRegistry rollouts,
    TrainJobStore store,
    TrainingDataLocator data,
    TrainerPaths paths,
    TrainerMetrics metrics,
    TimeProvider time,
    IOptions<TrainerOptions> options,
    ILogger<TrainJobManager> logger)
{
    /// <summary>This process's id as the owner of the jobs it runs (see <see cref="TrainJobStore.MarkInterruptedAsync"/>).</summary>
    public string Instance { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public IModelTrainer Trainer => trainer;
    public ModelRegistry Registry => registry;
    public Fer.Registry.Rollouts.RolloutRegistry Rollouts => rollouts;
    public TrainJobStore Store => store;
    public TrainingDataLocator Data => data;
    public TrainerPaths Paths => paths;
    public TrainerMetrics Metrics => metrics;
    public TimeProvider Time => time;
    public TrainerOptions Options => options.Value;
    public ILogger Logger => logger;
}
