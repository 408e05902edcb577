using Fer.Tests.Inference;
using Fer.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fer.Tests.ServiceDefaults;

public sealed class LoggingDefaultsTests
{
    private const string HostingCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    [Fact]
    public async Task ARequest_LeavesNoAspNetCoreInformationEntries_WhileTheServicesOwnInformationEntriesStay()
    {
        var logs = await ServeTwoRequestsAsync(settings: null);

        Assert.DoesNotContain(logs.Entries, entry => entry.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
                                                     && entry.Level < LogLevel.Warning);
        Assert.Equal(2, logs.Entries.Count(entry => entry is { Category: nameof(LoggingDefaultsTests), Level: LogLevel.Information }));
    }

    [Fact]
    public async Task TheDefaults_GiveWayToConfiguration()
    {
        var logs = await ServeTwoRequestsAsync(new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information" });

        Assert.Contains(logs.Entries, entry => entry.Category == HostingCategory && entry.Message.StartsWith("Request finished", StringComparison.Ordinal));
    }

    /// <summary>Two requests on one connection: Kestrel runs them in turn, so the first one's end is logged before the
    /// second one's response arrives.</summary>
    private static async Task<RecordedLogs> ServeTwoRequestsAsync(IDictionary<string, string?>? settings)
    {
        var logs = new RecordedLogs();
        var builder = LoopbackApp.CreateBuilder(settings);
        builder.Logging.AddProvider(logs);
        builder.AddServiceDefaults();
        await using var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(nameof(LoggingDefaultsTests));
        app.MapGet("/hello", () =>
        {
            logger.LogInformation("hello answered");
            return Results.Ok("hello");
        });
        using var client = new HttpClient { BaseAddress = await app.StartOnLoopbackAsync() };

        for (var i = 0; i < 2; i++) (await client.GetAsync("/hello")).EnsureSuccessStatusCode();
        return logs;
    }
}
