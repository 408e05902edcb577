using Fer.Inference.Batching;

namespace Fer.Tests.Inference;

public sealed class CorePinningTests
{
    [Fact]
    public void PinCurrentThread_LeavesTheThreadOneAllowedCore_TheKernelReportsIt()
    {
        var cores = AllowedCores();

        var (pinned, allowed) = OnNewThread(() => (CorePinning.PinCurrentThread(cores.Count - 1), AllowedCores()));

        Assert.True(pinned);
        Assert.Equal([cores[^1]], allowed);
    }

    [Fact]
    public void PinCurrentThread_CountsRound_BeyondTheAllowedCores()
    {
        var cores = AllowedCores();

        var (pinned, allowed) = OnNewThread(() => (CorePinning.PinCurrentThread(cores.Count), AllowedCores()));

        Assert.True(pinned);
        Assert.Equal([cores[0]], allowed);
    }

    /// <summary>The calling thread's allowed cores as the kernel lists them ("0-1", "0,2-3").</summary>
    private static List<int> AllowedCores()
    {
        var list = File.ReadLines("/proc/thread-self/status").Single(line => line.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))
            .Split(':')[1].Trim();
        return list.Split(',').SelectMany(range =>
        {
            var ends = range.Split('-').Select(int.Parse).ToArray();
            return Enumerable.Range(ends[0], ends[^1] - ends[0] + 1);
        }).ToList();
    }

    private static T OnNewThread<T>(Func<T> work)
    {
        T result = default!;
        var thread = new Thread(() => result = work());
        thread.Start();
        thread.Join();
        return result;
    }
}
