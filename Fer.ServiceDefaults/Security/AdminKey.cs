using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fer.ServiceDefaults.Security;

/// <summary>The admin key in force for this process: the configured one, or one generated and logged once at start.</summary>
public sealed partial class AdminKey
{
    private readonly byte[] _key;

    public AdminKey(IOptionsMonitor<AdminKeyOptions> options, ILogger<AdminKey> logger)
    {
        var configured = options.Get(AdminKeyDefaults.Scheme).Key;
        if (string.IsNullOrWhiteSpace(configured))
        {
            configured = Base64Url(RandomNumberGenerator.GetBytes(24));
            Generated = true;
            LogGenerated(logger, AdminKeyDefaults.ConfigurationKey, configured);
        }
        Value = configured;
        _key = Encoding.UTF8.GetBytes(configured);
    }

    public string Value { get; }

    public bool Generated { get; }

    /// <summary>Constant-time comparison, so response timing says nothing about how much of a guess was right.</summary>
    public bool Matches(string candidate)
    {
        var bytes = Encoding.UTF8.GetBytes(candidate);
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(bytes), SHA256.HashData(_key));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [LoggerMessage(Level = LogLevel.Warning, Message = "No {Variable} configured: the admin key for this run is {AdminKey}")]
    private static partial void LogGenerated(ILogger logger, string variable, string adminKey);
}
