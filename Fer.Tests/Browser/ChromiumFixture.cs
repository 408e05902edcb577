using Microsoft.Playwright;

namespace Fer.Tests.Browser;

/// <summary>
/// One Chromium for a whole test class (starting it is the slow part on a busy machine); each test opens its own
/// context. The browser also has a fake camera that plays FER faces (<see cref="FerFaceVideo"/>), so webcam pages work.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public string FakeCameraVideo { get; } = Path.Combine(Path.GetTempPath(), $"fer-faces-{Guid.NewGuid():N}.y4m");

    public async Task InitializeAsync()
    {
        FerFaceVideo.Write(FakeCameraVideo);
        (_playwright, Browser) = await Chromium.LaunchAsync(Chromium.FakeCameraArgs(FakeCameraVideo));
    }

    public async Task DisposeAsync()
    {
        if (Browser != null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        File.Delete(FakeCameraVideo);
    }
}
