using System.Collections.Concurrent;

namespace Fer.Inference.Batching;

/// <summary>A thread of a lane's own for the lane's whole life, on which its model runs happen one at a time: a new
/// thread a batch (as before) put a thread start on the hot path, and running on the thread pool would block a thread
/// that HTTP needs.</summary>
internal sealed class LaneThread : IDisposable
{
    private readonly BlockingCollection<(Action Work, TaskCompletionSource Done)> work = new();
    private readonly Thread thread;

    /// <param name="name">The thread's name (seen in debuggers and profiles).</param>
    /// <param name="started">Runs first on the new thread (pinning it to a core, say).</param>
    public LaneThread(string name, Action started)
    {
        thread = new Thread(() => Loop(started)) { Name = name, IsBackground = true };
        thread.Start();
    }

    /// <summary>Runs <paramref name="action"/> on the lane's thread; completes (off that thread) when it has run.</summary>
    public Task RunAsync(Action action)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        work.Add((action, done));
        return done.Task;
    }

    private void Loop(Action started)
    {
        started();
        foreach (var (action, done) in work.GetConsumingEnumerable())
        {
            try
            {
                action();
                done.TrySetResult();
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        }
    }

    public void Dispose()
    {
        work.CompleteAdding();
        thread.Join();
        work.Dispose();
    }
}
