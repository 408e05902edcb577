using System.Globalization;
using Fer.AppHost.Redis;
using Microsoft.Extensions.Configuration;

namespace Fer.AppHost.Hosting;

/// <summary>
/// The AppHost's own settings (section "Fer": --Fer:InferenceReplicas=3, Fer__Redis=garnet, ...). Every path a service
/// needs comes from here, absolute, so that no service has to guess where the repository is.
/// </summary>
public sealed record FerSettings
{
    public const string Section = "Fer";

    /// <summary>Data of the AppHost's local Redis (redis-server's append-only file, Garnet's checkpoints and log).</summary>
    public required string StateDirectory { get; init; }

    /// <summary>Training data the trainer uses when a job names none, then the fallback.</summary>
    public required string DataDirectory { get; init; }
    public required string FallbackDataDirectory { get; init; }

    /// <summary>Where the trainer writes each job's run folder.</summary>
    public required string RunsDirectory { get; init; }

    public required int GatewayPort { get; init; }
    public required int InferenceReplicas { get; init; }
    public required RedisKind? Redis { get; init; }

    /// <summary>Fer:TracePlumbing: the services trace their own plumbing too (health probes, Redis pings, the
    /// AppHost's own requests); off by default, so the dashboard's trace list holds the work users asked for.</summary>
    public required bool TracePlumbing { get; init; }

    /// <summary>What the local Redis must hold: this many versions (besides production and the rollback target) of at
    /// most this size; the registry's retention is set to the same number.</summary>
    public required int RetainVersions { get; init; }
    public required int MaxModelMegabytes { get; init; }

    /// <summary>Memory the local Redis may use: every retained version, production, the rollback target, and headroom
    /// for job records and one publish in flight.</summary>
    public int RedisMemoryMegabytes => (RetainVersions + 2) * MaxModelMegabytes + 256;

    /// <summary>Reads the settings; paths default to places beside the AppHost project (the repository it lives in).</summary>
    public static FerSettings From(IConfiguration configuration, string appHostDirectory)
    {
        var section = configuration.GetSection(Section);
        var repository = Path.GetFullPath(Path.Combine(appHostDirectory, ".."));
        string PathSetting(string key, string fallback) =>
            Path.GetFullPath(section[key] is { Length: > 0 } configured ? configured : fallback, repository);

        return new FerSettings
        {
            StateDirectory = PathSetting("StateDirectory", Path.Combine(repository, ".state")),
            DataDirectory = PathSetting("DataDirectory", Path.Combine(repository, "data", "fer2013")),
            FallbackDataDirectory = PathSetting("FallbackDataDirectory", Path.Combine(repository, "..", "shared", "data", "fer2013")),
            RunsDirectory = PathSetting("RunsDirectory", Path.Combine(repository, "runs")),
            GatewayPort = Int(section, "GatewayPort", 8080, 1, 65535),
            InferenceReplicas = Int(section, "InferenceReplicas", 2, 1, 16),
            Redis = RedisKinds.Parse(section["Redis"]),
            TracePlumbing = Bool(section, "TracePlumbing"),
            RetainVersions = Int(section, "RetainVersions", 10, 1, 1000),
            MaxModelMegabytes = Int(section, "MaxModelMegabytes", 100, 1, 4096),
        };
    }

    private static bool Bool(IConfiguration section, string key)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text)) return false;
        return bool.TryParse(text, out var value) ? value
            : throw new ArgumentException($"{Section}:{key} must be true or false (was '{text}')");
    }

    private static int Int(IConfiguration section, string key, int fallback, int min, int max)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        throw new ArgumentException($"{Section}:{key} must be a whole number from {min} to {max} (was '{text}')");
    }
}
