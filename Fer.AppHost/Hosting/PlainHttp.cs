using Aspire.Hosting.ApplicationModel;

namespace Fer.AppHost.Hosting;

public static class PlainHttp
{
    /// <summary>
    /// Every endpoint is plain http on loopback, so no resource needs the ASP.NET Core development certificate. Aspire
    /// would otherwise offer it to every .NET service for HTTPS and, on a machine with nothing but the .NET SDK (no
    /// trusted certificate), open the dashboard on a red "No trusted development certificate" error.
    /// </summary>
    public static void WithoutDevelopmentCertificate(this IDistributedApplicationBuilder builder)
    {
#pragma warning disable ASPIRECERTIFICATES001 // Marked for evaluation; it is Aspire's documented way to opt a resource out.
        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
            builder.CreateResourceBuilder(project).WithoutHttpsCertificate();
        foreach (var executable in builder.Resources.OfType<ExecutableResource>().ToList())
            builder.CreateResourceBuilder(executable).WithoutHttpsCertificate();
#pragma warning restore ASPIRECERTIFICATES001
    }
}
