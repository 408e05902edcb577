using System.Diagnostics;
using Xunit.Abstractions;

namespace Fer.Tests.AppHost;

[Trait("Category", "Slow")]
[Collection(AppHostSystemCollection.Name)]
public sealed class AppHostShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task CtrlC_StopsEveryChildProcess_WithinSeconds_OnEmbeddedGarnet()
    {
        await using var host = AppHostProcess.Start(redis: "garnet");
        var seconds = await host.WaitAllHealthyAsync(AppHostSystemFixture.HealthyTimeout);
        var resources = await host.ResourcesAsync();
        Assert.StartsWith("Garnet", resources.GetProperty("resources")[0].GetProperty("note").GetString());
        var children = await host.ChildPidsAsync();
        Assert.Equal(4, children.Count); // trainer, 2 x inference, gateway: Garnet runs inside the AppHost

        var timer = Stopwatch.StartNew();
        host.Interrupt(); // SIGINT, as Ctrl+C in a terminal
        Assert.True(await host.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"the AppHost did not exit:\n{host.Output}");
        var stopped = timer.Elapsed;
        Assert.All(children, child => Assert.False(AppHostProcess.IsAlive(child.Pid), $"{child.Name} (pid {child.Pid}) outlived the AppHost"));
        Assert.Contains("All resources stopped", host.Output);
        output.WriteLine($"healthy after {seconds:F1} s on Garnet; stopped in {stopped.TotalSeconds:F1} s");
        // Each dependency level gets up to AppHost:StopTimeoutSeconds (5 s) after SIGTERM; idle, the whole stop takes
        // about a second. The bound is loose because a loaded CI machine slows .NET shutdown a lot.
        Assert.True(stopped < TimeSpan.FromSeconds(45), $"stopping took {stopped.TotalSeconds:F1} s");
    }
}
