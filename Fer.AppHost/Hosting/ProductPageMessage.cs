using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fer.AppHost.Hosting;

/// <summary>Says once, in the AppHost's terminal, where the product page is as soon as the gateway is healthy.</summary>
public static partial class ProductPageMessage
{
    public static IResourceBuilder<ProjectResource> WithProductPageMessage(this IResourceBuilder<ProjectResource> gateway)
    {
        var endpoint = gateway.GetEndpoint("http");
        return gateway.OnResourceReady((_, ready, _) =>
        {
            var logger = ready.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Fer.AppHost");
            Ready(logger, endpoint.Url, (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds);
            return Task.CompletedTask;
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fer is up: the product page is {Url} ({Seconds:F1} s after the AppHost started)")]
    private static partial void Ready(ILogger logger, string url, double seconds);
}
