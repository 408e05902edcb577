using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Fer.ServiceDefaults.Security;

/// <summary>
/// The admin key as an authentication scheme and an authorization policy, the same in every service that changes state
/// (the gateway, the trainer): under the AppHost every one gets the key it issues (<c>FER_ADMIN_KEY</c>); a service
/// started alone takes <c>FER_ADMIN_KEY</c> when set, else generates a key and logs it once.
/// </summary>
public static class AdminKeyExtensions
{
    public static TBuilder AddAdminKeyAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddAuthentication()
            .AddScheme<AdminKeyOptions, AdminKeyAuthenticationHandler>(AdminKeyDefaults.Scheme,
                options => options.Key = builder.Configuration[AdminKeyDefaults.ConfigurationKey]);
        services.AddOptions<AdminKeyOptions>(AdminKeyDefaults.Scheme).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminKeyOptions>, AdminKeyOptionsValidator>();
        services.AddSingleton<AdminKey>();
        services.AddAuthorizationBuilder().AddPolicy(AdminKeyDefaults.PolicyName, policy => policy
            .AddAuthenticationSchemes(AdminKeyDefaults.Scheme)
            .RequireAuthenticatedUser());
        return builder;
    }

    /// <summary>Authentication and authorization (after routing, so they see the endpoint's policy); the key is
    /// resolved now, so that a generated one is logged at start-up rather than at the first request.</summary>
    public static WebApplication UseAdminKey(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<AdminKey>();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>The endpoint answers 401 without the key, 403 with a wrong one.</summary>
    public static TBuilder RequireAdminKey<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.RequireAuthorization(AdminKeyDefaults.PolicyName);
}
