using Microsoft.Extensions.FileProviders;

namespace Fer.Gateway.Extensions;

/// <summary>
/// Serves the product page from wwwroot, embedded in the assembly so it is there however the gateway is launched
/// (dotnet run, a published folder, the AppHost). Everything is local: the policy below forbids any other origin.
/// </summary>
public static class WebPageExtensions
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; connect-src 'self'; " +
        "style-src 'self'; script-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    public static WebApplication UseWebPage(this WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(WebPageExtensions).Assembly, "Fer.Gateway.wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.CacheControl = "no-cache";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
            },
        });
        return app;
    }
}
