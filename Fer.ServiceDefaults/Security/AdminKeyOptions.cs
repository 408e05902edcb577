using Microsoft.AspNetCore.Authentication;

namespace Fer.ServiceDefaults.Security;

/// <summary>The admin key from <c>FER_ADMIN_KEY</c>; when it is empty the service makes one at start-up.</summary>
public sealed class AdminKeyOptions : AuthenticationSchemeOptions
{
    public const int MinimumLength = 8;

    public string? Key { get; set; }
}
