using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Fer.AppHost.Dashboard;

/// <summary>Serves the dashboard's page (HTML, JS, CSS embedded in this assembly: no CDN, works offline).</summary>
public static class DashboardPage
{
    private const string Prefix = "dashboard/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    public static IEndpointRouteBuilder MapDashboardPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Asset("index.html")).ExcludeFromDescription();
        app.MapGet("/assets/{file}", (string file) => Asset(file)).ExcludeFromDescription();
        return app;
    }

    private static Results<FileContentHttpResult, NotFound> Asset(string file)
    {
        if (!ContentTypes.TryGetValue(Path.GetExtension(file), out var contentType)) return TypedResults.NotFound();
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(Prefix + file);
        if (stream is null) return TypedResults.NotFound();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return TypedResults.File(buffer.ToArray(), contentType);
    }
}
