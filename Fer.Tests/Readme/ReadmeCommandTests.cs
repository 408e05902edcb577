using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Fer.Tests.Infrastructure;
using Fer.Tests.Trainer.Apis;
using Xunit.Abstractions;

namespace Fer.Tests.Readme;

/// <summary>
/// Runs every command line of README.md's code blocks, as written, with bash from the repository root, in the README's
/// order, and expects each to succeed, so the README cannot rot. Two substitutions keep it to minutes, and only these:
/// FER2013 (<c>../shared/data/fer2013</c>) becomes a tiny copy of it (<see cref="TinyFerData"/>, so training runs the
/// README's recipe on 112 faces), and a path under <c>runs/</c> (the git-ignored folder the CLI writes to) goes to a
/// temporary folder, so the test never writes into the checkout. A block the README marks
/// <c>&lt;!-- not run by the README test: REASON --&gt;</c> is listed with its reason instead.
/// </summary>
[Collection(ReadmeCollection.Name)]
[Trait("Category", "Slow")]
public sealed partial class ReadmeCommandTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(10);

    private readonly TinyFerData data = new();
    private readonly string runs = Directory.CreateTempSubdirectory("fer-readme-runs-").FullName;

    [Fact]
    public async Task EveryReadmeCommandLine_RunsAsWritten()
    {
        var commands = ReadmeCommandLines.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "README.md")));
        Assert.NotEmpty(commands);

        foreach (var command in commands)
        {
            if (command.SkipReason is { } reason)
            {
                output.WriteLine($"README.md:{command.LineNumber}: not run ({reason}): {command.Text}");
                continue;
            }
            var line = Substitute(command.Text);
            output.WriteLine($"README.md:{command.LineNumber}: {line}");
            var (exitCode, log) = await RunAsync(line);
            Assert.True(exitCode == 0, $"README.md:{command.LineNumber} exited {exitCode}: {command.Text}\n{log}");
        }
    }

    private string Substitute(string line) =>
        RunsFolder().Replace(line.Replace("../shared/data/fer2013", data.Root, StringComparison.Ordinal), runs + "/");

    private static async Task<(int ExitCode, string Log)> RunAsync(string line)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = RepositoryPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(line);
        // The test host's MSBuild settings would steer the `dotnet run` builds inside the commands; and those builds
        // leave no build node or compiler server running after the test.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        using var process = Process.Start(start)!;
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"still running after {CommandTimeout}\n{Tail(log)}");
        }
        process.WaitForExit();
        return (process.ExitCode, Tail(log));
    }

    private static string Tail(StringBuilder log)
    {
        lock (log) return log.Length <= 8000 ? log.ToString() : log.ToString(log.Length - 8000, 8000);
    }

    // "runs/" at the start of a word: a path into the git-ignored run folder.
    [GeneratedRegex(@"(?<=^|[\s=])runs/")]
    private static partial Regex RunsFolder();

    public void Dispose()
    {
        data.Dispose();
        Directory.Delete(runs, recursive: true);
    }
}
