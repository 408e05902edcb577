using System.Globalization;
using Aspire.Hosting.ApplicationModel;

namespace Fer.AppHost.Hosting;

public static class ServiceResourceExtensions
{
    /// <summary>The registry's retention, the same number the local Redis is sized for.</summary>
    public static IResourceBuilder<T> WithRegistrySettings<T>(this IResourceBuilder<T> service, FerSettings settings)
        where T : IResourceWithEnvironment =>
        service.WithEnvironment("Registry__RetainVersions", settings.RetainVersions.ToString(CultureInfo.InvariantCulture));
}
