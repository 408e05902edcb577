using System.Security.Cryptography;

namespace Fer.AppHost.Hosting;

/// <summary>The gateway's admin key: FER_ADMIN_KEY when set, else a fresh random one for this run.</summary>
public sealed record AdminKey(string Value, string Source)
{
    public const string Variable = "FER_ADMIN_KEY";

    public static AdminKey From(string? configured) =>
        string.IsNullOrWhiteSpace(configured)
            ? new AdminKey(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), "generated for this run")
            : new AdminKey(configured, $"from {Variable}");
}
