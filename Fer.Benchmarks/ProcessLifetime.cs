using Microsoft.Extensions.Hosting;

namespace Fer.Benchmarks;

/// <summary>The in-process service's host lifetime: it leaves Ctrl+C and SIGTERM to the runtime, so they end the
/// benchmark (ASP.NET Core's console lifetime would take them and stop only the service, leaving the benchmark running
/// against it).</summary>
internal sealed class ProcessLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
