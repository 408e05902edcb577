using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fer.AppHost.Hosting;

public static class AdminKeyParameter
{
    public const string Name = "admin-key";

    /// <summary>The environment variable that sets the key (as for the services themselves).</summary>
    public const string Variable = "FER_ADMIN_KEY";

    /// <summary>
    /// The admin key, a secret parameter: FER_ADMIN_KEY or Parameters:admin-key when set; otherwise, when running,
    /// one generated for this run and logged once at start (publishing leaves it to the deployment's parameters).
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddAdminKey(this IDistributedApplicationBuilder builder)
    {
        if (builder.Configuration[Variable] is { Length: > 0 } configured)
            return builder.AddParameter(Name, configured.Trim(), secret: true);
        if (builder.ExecutionContext.IsPublishMode || builder.Configuration[$"Parameters:{Name}"] is { Length: > 0 })
            return builder.AddParameter(Name, secret: true);

        var generated = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        builder.Eventing.Subscribe<BeforeStartEvent>((started, _) =>
        {
            started.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Fer.AppHost")
                .LogWarning("No {Variable} set: the admin key for this run is {AdminKey}", Variable, generated);
            return Task.CompletedTask;
        });
        return builder.AddParameter(Name, generated, secret: true);
    }
}
