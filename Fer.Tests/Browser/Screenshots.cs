using Fer.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Fer.Tests.Browser;

/// <summary>Screenshots as test artefacts: Fer.Tests/TestResults/screenshots (or $FER_SCREENSHOTS).</summary>
public static class Screenshots
{
    public static string Directory { get; } = Environment.GetEnvironmentVariable("FER_SCREENSHOTS") is { Length: > 0 } configured
        ? configured
        : Path.Combine(RepositoryPaths.Root, "Fer.Tests", "TestResults", "screenshots");

    public static async Task<string> SaveAsync(IPage page, string name)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, $"{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }
}
