namespace Fer.Trainer.Jobs;

/// <summary>
/// Holds this trainer's lease in Redis (renewed every <see cref="LeaseRenewal"/>, valid for <see cref="LeaseTime"/>) and
/// marks the jobs of trainers without one, left queued or running, as failed (interrupted): at start, retrying until
/// Redis answers, then at every renewal (a trainer that died while another runs). At stop, interrupts the running job
/// so that it is saved as failed rather than left running, and gives the lease up.
/// </summary>
public sealed class TrainJobHost(TrainJobManager manager, TrainJobServices services) : BackgroundService
{
    public static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan LeaseRenewal = TimeSpan.FromSeconds(10);
    public const string RestartedReason = "interrupted: the trainer restarted while the job was running";
    public const string LeaseExpiredReason = "interrupted: the trainer running the job stopped (its lease in Redis expired)";
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Completes once the start-up check has run (tests wait on it).</summary>
    public Task Recovered => recovered.Task;

    private readonly TaskCompletionSource recovered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await services.Store.RenewLeaseAsync(manager.Instance, LeaseTime);
                var marked = await services.Store.MarkInterruptedAsync(manager.Instance, services.Time.GetUtcNow(),
                    Recovered.IsCompleted ? LeaseExpiredReason : RestartedReason);
                if (marked.Count > 0) services.Logger.MarkedInterrupted(marked.Count, string.Join(", ", marked));
                recovered.TrySetResult();
                await Task.Delay(LeaseRenewal, services.Time, stoppingToken);
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                services.Logger.RecoveryRetry(e);
                await Task.Delay(RetryDelay, services.Time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await manager.StopAsync(cancellationToken);
        await base.StopAsync(cancellationToken);
        try
        {
            // Bounded: a Ctrl+C stops Redis at the same moment, and a command waits for Redis up to its own timeout.
            await services.Store.ReleaseLeaseAsync(manager.Instance).WaitAsync(ReleaseTimeout, cancellationToken);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException or OperationCanceledException)
        {
            // Redis is gone: the lease expires on its own within LeaseTime.
        }
    }
}
