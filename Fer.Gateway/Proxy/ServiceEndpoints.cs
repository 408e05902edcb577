using System.Globalization;

namespace Fer.Gateway.Proxy;

/// <summary>
/// Reads the service-discovery convention of Aspire and Kubernetes-style configuration:
/// <c>services:{name}:{scheme}:{index}</c> = an absolute URL (environment: <c>services__inference__http__0</c>).
/// </summary>
public static class ServiceEndpoints
{
    public static IReadOnlyList<Uri> Read(IConfiguration configuration, string serviceName)
    {
        var service = configuration.GetSection("services").GetSection(serviceName);
        var endpoints = new List<Uri>();
        foreach (var scheme in new[] { "http", "https" })
        {
            foreach (var entry in service.GetSection(scheme).GetChildren().OrderBy(Index))
            {
                if (string.IsNullOrWhiteSpace(entry.Value)) continue;
                if (!Uri.TryCreate(entry.Value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                    throw new InvalidOperationException($"configuration '{entry.Path}' must be an absolute http(s) URL, not '{entry.Value}'");
                endpoints.Add(uri);
            }
        }
        return endpoints;
    }

    private static int Index(IConfigurationSection entry) =>
        int.TryParse(entry.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : int.MaxValue;
}
