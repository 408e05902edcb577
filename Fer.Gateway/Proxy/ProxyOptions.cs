using System.ComponentModel.DataAnnotations;

namespace Fer.Gateway.Proxy;

/// <summary>Where the gateway sends traffic when service discovery says nothing, and how it watches the replicas;
/// checked at start from the data annotations below, each message naming its key.</summary>
public sealed class ProxyOptions
{
    public const string SectionName = "Gateway:Proxy";
    private const string Key = SectionName + ":";

    /// <summary>The inference service when no <c>services:inference:http:N</c> is configured (running standalone).</summary>
    public Uri InferenceFallback { get; set; } = new("http://localhost:5200");

    /// <summary>The trainer when no <c>services:trainer:http:0</c> is configured (running standalone).</summary>
    public Uri TrainerFallback { get; set; } = new("http://localhost:5100");

    /// <summary>How often each inference replica's <c>/health</c> is probed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "10675199.02:48:05.4775807", MinimumIsExclusive = true, ErrorMessage = Key + nameof(HealthCheckInterval) + " must be positive")]
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00", "10675199.02:48:05.4775807", MinimumIsExclusive = true, ErrorMessage = Key + nameof(HealthCheckTimeout) + " must be positive")]
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a replica that failed requests stays out of rotation before it is tried again.</summary>
    public TimeSpan PassiveReactivationPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many replicas one safe request may try in total.</summary>
    [Range(1, 10, ErrorMessage = Key + nameof(MaxAttempts) + " must be between {1} and {2}")]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Longest silence on a proxied stream (the trainer's server-sent events can be quiet between epochs).</summary>
    public TimeSpan TrainerActivityTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
