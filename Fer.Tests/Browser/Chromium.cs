using Microsoft.Playwright;

namespace Fer.Tests.Browser;

/// <summary>
/// Launches Debian's Chromium through Playwright. Never downloads a browser: the executable is the system one, and
/// a missing one is a clear failure, not a silent skip.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>The flags environment.md lists for headless Chromium on these machines (Playwright adds a fresh
    /// profile directory and headless mode itself).</summary>
    public static readonly string[] DefaultArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    public static string[] FakeCameraArgs(string y4mPath) =>
    [
        "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", $"--use-file-for-fake-video-capture={y4mPath}",
    ];

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync(params string[] extraArgs)
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium package (apt-get install chromium)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = [.. DefaultArgs, .. extraArgs],
        });
        return (playwright, browser);
    }
}
