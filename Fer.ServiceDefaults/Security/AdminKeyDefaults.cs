namespace Fer.ServiceDefaults.Security;

public static class AdminKeyDefaults
{
    public const string Scheme = "AdminKey";
    public const string PolicyName = "FerAdmin";
    public const string HeaderName = "X-Api-Key";

    /// <summary>The configuration key (and environment variable) holding the admin key.</summary>
    public const string ConfigurationKey = "FER_ADMIN_KEY";
}
