using Fer.Tests.Infrastructure;

namespace Fer.Tests.Readme;

public sealed class ReadmeCommandLinesTests
{
    [Fact]
    public void Parse_FindsCommandsInIndentedAndShellBlocks_NotInTextBlocks()
    {
        const string markdown = """
            Run it:

                dotnet run --project A   # a comment stays, bash ignores it
                # a comment line is left out
                curl localhost:1 \
                  -d '{}'

            ```text
            a diagram --> not a command
            ```

            <!-- not run by the README test: needs a GPU -->

            ```sh
            dotnet build -p:FerGpu=true
            ```

            ```console
            $ fer selfcheck
            torch: output, not a command
            ```
            """;

        var commands = ReadmeCommandLines.Parse(markdown);

        Assert.Equal(
            [
                new ReadmeCommandLine(3, "dotnet run --project A   # a comment stays, bash ignores it", null),
                new ReadmeCommandLine(5, "curl localhost:1  -d '{}'", null),
                new ReadmeCommandLine(15, "dotnet build -p:FerGpu=true", "needs a GPU"),
                new ReadmeCommandLine(19, "fer selfcheck", null),
            ],
            commands);
    }

    [Fact]
    public void TheReadme_ShowsCommandLines_AndSaysWhyForEachOneNotRun()
    {
        var commands = ReadmeCommandLines.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")));

        Assert.Contains(commands, c => c.SkipReason is null && c.Text.Contains("--project Fer.Cli -- train", StringComparison.Ordinal));
        Assert.All(commands, c => Assert.True(c.SkipReason is null || c.SkipReason.Length > 10, $"line {c.LineNumber}: say why it is not run"));
    }
}
