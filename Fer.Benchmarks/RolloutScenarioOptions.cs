using System.Globalization;

namespace Fer.Benchmarks;

/// <summary>Where the rollout scenario finds the running system (the gateway, its admin key, the registry's Redis and
/// key prefix), how many clients drive /predict, how long one candidate may take, and where FER2013 is.</summary>
public sealed record RolloutScenarioOptions(Uri Gateway, string AdminKey, string Redis, string KeyPrefix, int Concurrency, TimeSpan PerCandidate, string? Data)
{
    public const string Usage =
        "rollout-scenario --gateway http://localhost:8080 --redis HOST:PORT [--admin-key KEY (default: $FER_ADMIN_KEY)] [--key-prefix fer] [--concurrency 4] [--minutes 15] [--data DIR]";

    public static RolloutScenarioOptions Parse(IReadOnlyList<string> args)
    {
        string? gateway = null, redis = null, adminKey = Environment.GetEnvironmentVariable("FER_ADMIN_KEY"), data = null;
        var prefix = "fer";
        var concurrency = 4;
        var minutes = 15.0;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--gateway": gateway = value; break;
                case "--redis": redis = value; break;
                case "--admin-key": adminKey = value; break;
                case "--key-prefix": prefix = value; break;
                case "--concurrency": concurrency = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--minutes": minutes = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--data": data = value; break;
                default: throw new ArgumentException($"unknown option {args[i]}; usage: {Usage}");
            }
            i++;
        }
        if (gateway is null || !Uri.TryCreate(gateway, UriKind.Absolute, out var gatewayUri))
            throw new ArgumentException($"--gateway needs the gateway's address (the dashboard's 'Product page' link); usage: {Usage}");
        if (string.IsNullOrWhiteSpace(redis))
            throw new ArgumentException($"--redis needs the registry's Redis (host:port of the dashboard's redis-server resource); usage: {Usage}");
        if (string.IsNullOrWhiteSpace(adminKey))
            throw new ArgumentException("no admin key: pass --admin-key or set FER_ADMIN_KEY (the AppHost's admin-key parameter)");
        if (concurrency < 1 || minutes <= 0) throw new ArgumentException("--concurrency and --minutes need positive numbers");
        return new RolloutScenarioOptions(gatewayUri, adminKey, redis, prefix, concurrency, TimeSpan.FromMinutes(minutes), data);
    }
}
