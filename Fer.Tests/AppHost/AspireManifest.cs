using System.Diagnostics;
using System.Text.Json;

namespace Fer.Tests.AppHost;

/// <summary>The Aspire manifest the AppHost writes when publishing (<c>--publisher manifest</c>): its resources.</summary>
public static class AspireManifest
{
    public static async Task<JsonElement> PublishAsync()
    {
        var output = Directory.CreateTempSubdirectory("fer-manifest-").FullName;
        try
        {
            var path = Path.Combine(output, "aspire-manifest.json");
            var start = new ProcessStartInfo(AppHostProcess.Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "--publisher", "manifest", "--output-path", path }) start.ArgumentList.Add(argument);
            using var publish = Process.Start(start)!;
            var log = publish.StandardOutput.ReadToEndAsync();
            var errors = publish.StandardError.ReadToEndAsync();
            Assert.True(publish.WaitForExit(TimeSpan.FromMinutes(2)), "publishing did not finish");
            Assert.True(publish.ExitCode == 0, $"exit {publish.ExitCode}: {await log}\n{await errors}");
            return JsonDocument.Parse(await File.ReadAllTextAsync(path)).RootElement.GetProperty("resources").Clone();
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
