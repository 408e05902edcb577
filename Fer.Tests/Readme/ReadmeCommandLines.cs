using System.Text.RegularExpressions;

namespace Fer.Tests.Readme;

/// <summary>
/// Finds the command lines of a Markdown document: every line of every code block (indented, or fenced with no
/// language or sh, bash, shell; in a console block the lines that start with "$ "), a trailing backslash continuing a
/// line, full-line # comments left out. A fenced block with another language (text, json, ...) is not commands: that is
/// how a diagram or an output sample says so. A block right after <c>&lt;!-- not run by the README test: REASON --&gt;</c>
/// is listed with that reason and not run.
/// </summary>
public static partial class ReadmeCommandLines
{
    private static readonly string[] ShellLanguages = ["", "sh", "bash", "shell", "console"];

    public static IReadOnlyList<ReadmeCommandLine> Parse(string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var commands = new List<ReadmeCommandLine>();
        string? skipReason = null;
        var previousBlank = true;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (SkipMarker().Match(line) is { Success: true } marker)
            {
                skipReason = marker.Groups["reason"].Value.Trim();
                continue;
            }
            if (Fence().Match(line) is { Success: true } fence)
            {
                var language = fence.Groups["language"].Value.ToLowerInvariant();
                var body = new List<(int, string)>();
                for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith(fence.Groups["fence"].Value, StringComparison.Ordinal); i++)
                    body.Add((i + 1, lines[i]));
                if (ShellLanguages.Contains(language)) Collect(body, language == "console", skipReason, commands);
                skipReason = null;
                previousBlank = false;
                continue;
            }
            if (previousBlank && IsIndented(line) && line.Trim().Length > 0)
            {
                var body = new List<(int, string)>();
                for (; i < lines.Length && (IsIndented(lines[i]) || lines[i].Trim().Length == 0); i++) body.Add((i + 1, lines[i]));
                i--;
                Collect(body, console: false, skipReason, commands);
                skipReason = null;
                previousBlank = true;
                continue;
            }
            if (line.Trim().Length > 0) skipReason = null;
            previousBlank = line.Trim().Length == 0;
        }
        return commands;
    }

    private static void Collect(List<(int Number, string Text)> body, bool console, string? skipReason, List<ReadmeCommandLine> commands)
    {
        var start = 0;
        var pending = "";
        foreach (var (number, raw) in body)
        {
            var text = raw.Trim();
            if (console)
            {
                if (pending.Length == 0 && !text.StartsWith("$ ", StringComparison.Ordinal)) continue;
                if (pending.Length == 0) text = text[2..];
            }
            if (pending.Length == 0 && (text.Length == 0 || text.StartsWith('#'))) continue;
            if (pending.Length == 0) start = number;
            if (text.EndsWith('\\'))
            {
                pending += text[..^1] + " ";
                continue;
            }
            commands.Add(new ReadmeCommandLine(start, pending + text, skipReason));
            pending = "";
        }
        if (pending.Length > 0) commands.Add(new ReadmeCommandLine(start, pending.TrimEnd(), skipReason));
    }

    private static bool IsIndented(string line) => line.StartsWith("    ", StringComparison.Ordinal) || line.StartsWith('\t');

    [GeneratedRegex(@"^\s{0,3}(?<fence>```|~~~)\s*(?<language>[\w+-]*)")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^\s*<!--\s*not run by the README test:(?<reason>.*?)-->\s*$")]
    private static partial Regex SkipMarker();
}
