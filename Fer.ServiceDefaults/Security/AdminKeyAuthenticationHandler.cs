using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fer.ServiceDefaults.Security;

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header against the admin key. No key: 401 on an admin route; a wrong key: 403
/// (the caller identified itself and is refused). Both answers are ProblemDetails.
/// </summary>
public sealed class AdminKeyAuthenticationHandler(
    IOptionsMonitor<AdminKeyOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AdminKey adminKey,
    IProblemDetailsService problems)
    : AuthenticationHandler<AdminKeyOptions>(options, loggerFactory, encoder)
{
    private const string AdminRole = "admin";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedKey() is not { } key) return Task.FromResult(AuthenticateResult.NoResult());
        if (!adminKey.Matches(key)) return Task.FromResult(AuthenticateResult.Fail($"the {AdminKeyDefaults.HeaderName} header does not hold the admin key"));

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, AdminRole), new Claim(ClaimTypes.Role, AdminRole)], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (PresentedKey() is not null) return WriteProblem(StatusCodes.Status403Forbidden, "Wrong admin key",
            $"The {AdminKeyDefaults.HeaderName} header does not hold this service's admin key ({AdminKeyDefaults.ConfigurationKey}).");

        Response.Headers.WWWAuthenticate = $"{AdminKeyDefaults.Scheme} header=\"{AdminKeyDefaults.HeaderName}\"";
        return WriteProblem(StatusCodes.Status401Unauthorized, "Admin key required",
            $"This action needs the admin key in the {AdminKeyDefaults.HeaderName} header.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblem(StatusCodes.Status403Forbidden, "Forbidden", "This action is reserved for the administrator.");

    private string? PresentedKey() =>
        Request.Headers.TryGetValue(AdminKeyDefaults.HeaderName, out var values) && !string.IsNullOrEmpty(values.ToString()) ? values.ToString() : null;

    private async Task WriteProblem(int status, string title, string detail)
    {
        Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
