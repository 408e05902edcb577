namespace Fer.Trainer.Jobs;

/// <summary>
/// At start, marks the jobs an earlier trainer left queued or running as failed (interrupted), retrying until Redis
/// answers; at stop, interrupts the running job so that it is saved as failed rather than left running.
/// </summary>
public sealed class TrainJobHost(TrainJobManager manager, TrainJobServices services) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>Completes once the start-up check has run (tests wait on it).</summary>
    public Task Recovered => recovered.Task;

    private readonly TaskCompletionSource recovered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var marked = await services.Store.MarkInterruptedAsync(manager.Instance, services.Time.GetUtcNow(),
                    "interrupted: the trainer restarted while the job was running");
                if (marked.Count > 0) services.Logger.MarkedInterrupted(marked.Count, string.Join(", ", marked));
                recovered.TrySetResult();
                return;
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                services.Logger.RecoveryRetry(e);
                await Task.Delay(RetryDelay, services.Time, stoppingToken);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await manager.StopAsync(cancellationToken);
        await base.StopAsync(cancellationToken);
    }
}
