using System.ComponentModel.DataAnnotations;

namespace Fer.AppHost.Hosting;

/// <summary>The AppHost's settings (section "AppHost": e.g. --AppHost:GatewayPort=9090 or AppHost__GatewayPort=9090).</summary>
public sealed class AppHostOptions
{
    public const string Section = "AppHost";

    /// <summary>Where the dashboard (and the OTLP/HTTP receiver) listens.</summary>
    [Required]
    public string DashboardUrl { get; set; } = "http://localhost:18888";

    /// <summary>Port of the OTLP/gRPC receiver (HTTP/2 cleartext, on the dashboard's host); 0 turns it off. Services get
    /// OTLP/HTTP on the dashboard's own port; this one is for any other OpenTelemetry SDK left on its gRPC default.</summary>
    [Range(0, 65535)]
    public int OtlpGrpcPort { get; set; } = 18889;

    /// <summary>The gateway's fixed, documented port.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 8080;

    [Range(1, 32)]
    public int InferenceReplicas { get; set; } = 2;

    /// <summary>Data of the AppHost's own resources (redis-server's dump, Garnet's checkpoints). Empty: .state/ beside Fer.sln.</summary>
    public string StateDirectory { get; set; } = "";

    /// <summary>auto (redis-server on PATH, else Garnet), redis-server, or garnet. ConnectionStrings__redis overrides all.</summary>
    [RegularExpression("^(auto|redis-server|garnet)$")]
    public string Redis { get; set; } = "auto";

    /// <summary>How long a stopping process gets after SIGTERM before its tree is killed.</summary>
    [Range(0.1, 120)]
    public double StopTimeoutSeconds { get; set; } = 5;

    [Range(50, 60_000)]
    public int HealthIntervalMilliseconds { get; set; } = 1000;

    /// <summary>First delay before restarting a crashed process; it doubles on each crash up to the maximum.</summary>
    [Range(0.05, 60)]
    public double RestartDelaySeconds { get; set; } = 1;

    [Range(0.05, 600)]
    public double MaxRestartDelaySeconds { get; set; } = 30;

    /// <summary>Console lines kept per replica.</summary>
    [Range(10, 1_000_000)]
    public int ConsoleLines { get; set; } = 2000;

    /// <summary>Builds a project whose dll is missing (`dotnet build`), instead of failing.</summary>
    public bool BuildMissingProjects { get; set; } = true;
}
