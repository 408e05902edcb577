using System.Text.Json;
using Fer.Trainer.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Fer.Tests.Trainer.Apis;

/// <summary>A trainer that stops, or dies, while a job runs leaves the job failed (interrupted), never "running".</summary>
[Collection(TrainerCollection.Name)]
public sealed class TrainerRestartTests(TrainerFixture fixture)
{
    [Fact]
    public async Task StoppingTheTrainer_MidJob_LeavesTheJobFailedAsInterrupted_ForTheNextTrainer()
    {
        var prefix = TrainerFixture.NewPrefix();
        string id;
        await using (var first = await fixture.StartAppAsync(prefix))
        {
            id = await first.StartJobAsync(new { imageSize = 64, epochs1 = 500, epochs2 = 0, batchSize = 16 });
            await first.WaitForJobAsync(id, TrainerTestApp.IsWorking);
        }

        await using var second = await fixture.StartAppAsync(prefix);
        var job = await second.GetJobAsync(id);
        Assert.Equal("failed", job.GetProperty("state").GetString());
        // Saved as interrupted by the stopping trainer, or (when a batch outlasts the host's shutdown timeout) by the next one.
        Assert.StartsWith("interrupted: the trainer ", job.GetProperty("error").GetString());
        Assert.True(job.GetProperty("timings").TryGetProperty("finishedAt", out var finished) && finished.ValueKind == JsonValueKind.String);
    }

    /// <summary>Issue 15, finding 10: a second trainer's start marked the first one's running job failed.</summary>
    [Fact]
    public async Task ASecondTrainerOnTheSameRedis_LeavesTheFirstOnesRunningJobAlone()
    {
        var prefix = TrainerFixture.NewPrefix();
        await using var first = await fixture.StartAppAsync(prefix);
        var id = await first.StartJobAsync(new { epochs1 = 500, batchSize = 16 });
        await first.WaitForJobAsync(id, TrainerTestApp.IsWorking);

        await using (var second = await fixture.StartAppAsync(prefix))
        {
            await second.Services.GetServices<IHostedService>().OfType<TrainJobHost>().Single().Recovered;
            Assert.Equal("running", (await second.GetJobAsync(id)).GetProperty("state").GetString());
        }

        Assert.Equal("running", (await first.GetJobAsync(id)).GetProperty("state").GetString());
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await first.Client.PostAsync($"/train/{id}/cancel", null)).StatusCode);
        Assert.Equal("cancelled", (await first.WaitUntilFinishedAsync(id)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task ARestartedTrainer_MarksTheJobsADeadTrainerWasRunning_AsFailed()
    {
        var prefix = TrainerFixture.NewPrefix();
        // A job record exactly as a trainer that crashed mid-run leaves it: running, owned by that trainer.
        var now = DateTimeOffset.UtcNow;
        var running = new TrainJob
        {
            Id = "20260101-000000-dead01",
            State = TrainJobState.Running,
            Options = new TrainJobOptions(),
            Stage = "training",
            Phase = 1,
            Epoch = 3,
            Timings = new TrainJobTimings { CreatedAt = now.AddMinutes(-5), StartedAt = now.AddMinutes(-5), UpdatedAt = now.AddMinutes(-1) },
        };
        var succeeded = running with { Id = "20260101-000000-done01", State = TrainJobState.Succeeded };

        await using var trainer = await fixture.StartAppAsync(prefix);
        var store = trainer.Service<TrainJobStore>();
        // The start-up check already ran on an empty store; run it again as a restart would, with the records in place.
        await trainer.Services.GetServices<IHostedService>().OfType<TrainJobHost>().Single().Recovered;
        await store.SaveAsync(running, owner: "dead-trainer");
        await store.SaveAsync(succeeded, owner: "dead-trainer");

        await using var restarted = await fixture.StartAppAsync(prefix);
        await restarted.Services.GetServices<IHostedService>().OfType<TrainJobHost>().Single().Recovered;

        var job = await restarted.GetJobAsync(running.Id);
        Assert.Equal("failed", job.GetProperty("state").GetString());
        // Said by the restarted trainer's start-up check, or by the first trainer's next lease renewal if that came first.
        Assert.Contains(job.GetProperty("error").GetString(), new[] { TrainJobHost.RestartedReason, TrainJobHost.LeaseExpiredReason });
        Assert.Equal(3, job.GetProperty("epoch").GetInt32());
        Assert.Equal("succeeded", (await restarted.GetJobAsync(succeeded.Id)).GetProperty("state").GetString());
    }
}
