using System.Text;
using Fer.Tests.Infrastructure;

namespace Fer.Tests.Benchmarks;

/// <summary>Ctrl+C ends the inference benchmark while its in-process service runs (ASP.NET Core's console lifetime once
/// took the signal, stopped only the service and left the benchmark measuring failures against it).</summary>
public class InferenceBenchmarkSignalTests
{
    [Fact]
    public async Task CtrlC_EndsTheBenchmark_WhileItsServiceRuns()
    {
        // The benchmark as built beside its project: the copy in this test's output lacks its dependency list.
        var executable = RepositoryPaths.BuildOutput("Fer.Benchmarks", "Fer.Benchmarks");
        Assert.True(File.Exists(executable), $"build Fer.Benchmarks first: {executable} is missing");
        using var benchmark = InterruptibleProcess.Start(executable,
        [
            "inference", "--data", RepositoryPaths.Fer2013, "--model", Path.Combine(RepositoryPaths.Root, "Fer.Trainer", "BundledModel", "model.onnx"),
            "--seconds", "300", "--rounds", "1", "--concurrency", "1",
        ], new Dictionary<string, string> { ["DOTNET_ReadyToRun"] = "0" });
        var log = new StringBuilder();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        benchmark.OutputDataReceived += (_, line) =>
        {
            lock (log) log.AppendLine(line.Data);
            if (line.Data?.StartsWith("service listening on ", StringComparison.Ordinal) == true) listening.TrySetResult();
        };
        benchmark.ErrorDataReceived += (_, line) => { lock (log) log.AppendLine(line.Data); };
        benchmark.BeginOutputReadLine();
        benchmark.BeginErrorReadLine();
        try
        {
            if (await Task.WhenAny(listening.Task, benchmark.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(2))) != listening.Task)
                Assert.Fail($"the benchmark's service did not start:\n{log}");
            await Task.Delay(TimeSpan.FromSeconds(1)); // into the warm-up load

            Assert.True(InterruptibleProcess.Interrupt(benchmark));

            Assert.True(benchmark.WaitForExit(TimeSpan.FromSeconds(30)), $"the benchmark went on after SIGINT:\n{log}");
            Assert.Equal(130, benchmark.ExitCode);
        }
        finally
        {
            if (!benchmark.HasExited) benchmark.Kill(entireProcessTree: true);
        }
    }
}
