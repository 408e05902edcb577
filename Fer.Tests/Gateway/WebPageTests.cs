using System.Net;
using System.Text.RegularExpressions;

namespace Fer.Tests.Gateway;

public sealed partial class WebPageTests
{
    [Fact]
    public async Task ThePage_IsServedAtTheRoot_WithEveryAssetLocal_AndAPolicyThatForbidsOtherOrigins()
    {
        await using var gateway = await GatewayHost.StartAsync([], trainer: null);
        using var client = gateway.CreateClient();

        var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains("connect-src 'self'", policy);

        var html = await page.Content.ReadAsStringAsync();
        var assets = AssetReference().Matches(html).Select(m => m.Groups["url"].Value).Where(u => !u.StartsWith("data:", StringComparison.Ordinal)).ToList();
        Assert.Contains("app.css", assets);
        Assert.Contains("app.js", assets);
        var scripts = new Queue<string>(assets);
        var seen = new HashSet<string>();
        while (scripts.TryDequeue(out var asset))
        {
            if (!seen.Add(asset)) continue;
            var response = await client.GetAsync("/" + asset);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset}: {response.StatusCode}");
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotMatch(ExternalUrl(), text);
            foreach (Match import in ModuleImport().Matches(text)) scripts.Enqueue(import.Groups["url"].Value);
        }
        Assert.Contains("predict.js", seen);
        Assert.Contains("train.js", seen);
        Assert.Contains("models.js", seen);
        Assert.Contains("charts.js", seen);
        Assert.Contains("evaluation.js", seen);
        Assert.Contains("rollout.js", seen);
        Assert.DoesNotMatch(ExternalUrl(), html);
    }

    [GeneratedRegex("(?:href|src)=\"(?<url>[^\"]+)\"")]
    private static partial Regex AssetReference();

    [GeneratedRegex("""from '\./(?<url>[^']+)'""")]
    private static partial Regex ModuleImport();

    [GeneratedRegex(@"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();
}
