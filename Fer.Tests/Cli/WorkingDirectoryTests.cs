using System.Diagnostics;
using Fer.Tests.Infrastructure;
using Fer.Tests.Trainer.Apis;

namespace Fer.Tests.Cli;

/// <summary>The built command line, run as a real process from a folder that is neither the repository nor its project
/// folder: relative paths are read and written where the user stands.</summary>
public sealed class WorkingDirectoryTests : IDisposable
{
    private readonly TinyFerData data = new();
    private readonly string here = Directory.CreateTempSubdirectory("fer-cli-here-").FullName;

    [Fact]
    public async Task Evaluate_TakesRelativePaths_FromTheDirectoryItRunsIn()
    {
        File.Copy(Path.Combine(RepositoryPaths.Root, "Fer.Trainer", "BundledModel", "model.onnx"), Path.Combine(here, "model.onnx"));
        var relativeData = Path.GetRelativePath(here, data.Root);

        var (exitCode, output) = await RunCliAsync("evaluate", "--model", "model.onnx", "--data", relativeData, "--out", "evaluation");

        Assert.True(exitCode == 0, output);
        Assert.True(File.Exists(Path.Combine(here, "evaluation", "metrics.json")), output);
        Assert.False(Directory.Exists(Path.Combine(RepositoryPaths.Root, "Fer.Cli", "evaluation")));
    }

    [Fact]
    public async Task Evaluate_NamesTheMissingRelativePath_InOneLine()
    {
        var (exitCode, output) = await RunCliAsync("evaluate", "--model", "nowhere.onnx", "--data", Path.GetRelativePath(here, data.Root));

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("nowhere.onnx", line, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> RunCliAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = here, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(RepositoryPaths.BuildOutput("Fer.Cli", "Fer.Cli.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stderr) + (await stdout));
    }

    public void Dispose()
    {
        data.Dispose();
        Directory.Delete(here, recursive: true);
    }
}
