using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Fer.Tests.Infrastructure;

namespace Fer.Tests.Benchmarks;

/// <summary>Ctrl+C ends the inference benchmark while its in-process service runs (ASP.NET Core's console lifetime once
/// took the signal, stopped only the service and left the benchmark measuring failures against it).</summary>
public partial class InferenceBenchmarkSignalTests
{
    private const int SigInt = 2;

    [Fact]
    public async Task CtrlC_EndsTheBenchmark_WhileItsServiceRuns()
    {
        // Through `env --default-signal=INT`: a test runner started in the background hands SIGINT down ignored.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
                 {
                     "--default-signal=INT", BenchmarkExecutable(), "inference",
                     "--data", RepositoryPaths.Fer2013, "--model", Path.Combine(RepositoryPaths.Root, "Fer.Trainer", "BundledModel", "model.onnx"),
                     "--seconds", "300", "--rounds", "1", "--concurrency", "1",
                 })
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_ReadyToRun"] = "0";
        using var benchmark = Process.Start(start)!;
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

            Assert.Equal(0, Kill(benchmark.Id, SigInt));

            Assert.True(benchmark.WaitForExit(TimeSpan.FromSeconds(30)), $"the benchmark went on after SIGINT:\n{log}");
            Assert.Equal(130, benchmark.ExitCode);
        }
        finally
        {
            if (!benchmark.HasExited) benchmark.Kill(entireProcessTree: true);
        }
    }

    /// <summary>The benchmark as built beside its project (the copy in this test's output lacks its dependency list).</summary>
    private static string BenchmarkExecutable()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var path = Path.Combine(RepositoryPaths.Root, "Fer.Benchmarks", "bin", configuration, "net10.0", "Fer.Benchmarks");
        return File.Exists(path) ? path : throw new FileNotFoundException($"build Fer.Benchmarks first: {path} is missing");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
