using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace Fer.AppHost.Hosting;

/// <summary>
/// The AppHost's terminal says what a user needs (the dashboard login, the product page, the admin key, which Redis,
/// errors) and nothing per request: the HTTP client's four Information lines per call (dashboard commands, the
/// training resource) and ASP.NET Core's start-up chatter start from Warning. They are defaults beneath every
/// configuration source, so <c>Logging__LogLevel__System.Net.Http.HttpClient=Information</c> brings them back.
/// </summary>
public static class AppHostLogging
{
    private static readonly Dictionary<string, string?> Levels = new()
    {
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    public static void AddQuietLoggingDefaults(this IDistributedApplicationBuilder builder) =>
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Levels });
}
