namespace Fer.AppHost.Hosting;

/// <summary>
/// The AppHost's terminal says what a user needs (the dashboard login, the product page, the admin key, which Redis,
/// errors) and nothing per request: the HTTP client's four Information lines per call (dashboard commands, health
/// probes), ASP.NET Core's start-up chatter and DCP's command line start from Warning. Only where nothing configures them, so
/// <c>Logging__LogLevel__System.Net.Http.HttpClient=Information</c> brings them back.
/// </summary>
public static class AppHostLogging
{
    private static readonly Dictionary<string, string> Levels = new()
    {
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Aspire.Hosting.Dcp"] = "Warning",
    };

    public static void AddQuietLoggingDefaults(this IDistributedApplicationBuilder builder)
    {
        // Set, not a configuration source of its own: the AppHost's sources must stay as Aspire ordered them
        // (a source inserted first made publishing run the deployment steps).
        foreach (var (key, level) in Levels)
            builder.Configuration[key] ??= level;
    }
}
