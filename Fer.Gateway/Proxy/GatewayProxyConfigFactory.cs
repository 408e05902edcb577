using Fer.Gateway.Limits;
using Fer.ServiceDefaults.Security;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;

namespace Fer.Gateway.Proxy;

/// <summary>
/// The gateway's routes and clusters. Under an orchestrator (services:inference and services:trainer configured) each
/// cluster has one destination, the service's name (http://inference); Microsoft.Extensions.ServiceDiscovery.Yarp
/// resolves it into one destination per replica, each health-checked and balanced on its own. Started alone, the
/// destinations are the standalone fallbacks.
/// </summary>
public static class GatewayProxyConfigFactory
{
    public const string InferenceCluster = "inference";
    public const string TrainerCluster = "trainer";

    private static readonly string[] ReadMethods = ["GET", "HEAD"];
    private static readonly string[] WriteMethods = ["POST", "PUT", "PATCH", "DELETE"];

    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Create(IConfiguration configuration, ProxyOptions options)
    {
        var inference = Discovered(configuration, InferenceCluster) ?? options.InferenceFallback;
        var trainer = Discovered(configuration, TrainerCluster) ?? options.TrainerFallback;
        return (Routes(), [InferenceClusterConfig(inference, options), TrainerClusterConfig(trainer, options)]);
    }

    private static IReadOnlyList<RouteConfig> Routes() =>
    [
        InferenceRoute("predict", "/predict"),
        InferenceRoute("inference-v2", "/v2/{**rest}"),
        // A label goes to any replica (they pass it on to the one that answered) and is limited like a prediction; the
        // feedback set's summary, its export and the retraining policy are the trainer's.
        InferenceRoute("feedback", "/feedback", ["POST"]),
        TrainerRoute("feedback-read", "/feedback/{**rest}", ReadMethods, admin: false),
        TrainerRoute("feedback-export", "/feedback/export", ReadMethods, admin: true),
        TrainerRoute("feedback-policy", "/feedback/policy", ["PUT"], admin: true),
        TrainerRoute("train-read", "/train/{**rest}", ReadMethods, admin: false),
        TrainerRoute("train-admin", "/train/{**rest}", WriteMethods, admin: true),
        TrainerRoute("models-read", "/models/{**rest}", ReadMethods, admin: false),
        TrainerRoute("models-download", "/models/{version}/onnx", ReadMethods, admin: true),
        TrainerRoute("models-admin", "/models/{**rest}", WriteMethods, admin: true),
    ];

    private static RouteConfig InferenceRoute(string id, string path, string[]? methods = null) => new()
    {
        RouteId = id,
        ClusterId = InferenceCluster,
        Match = new RouteMatch { Path = path, Methods = methods },
        RateLimiterPolicy = PredictRateLimiting.PolicyName,
        Metadata = new Dictionary<string, string> { [ProxyRouteMetadata.Retry] = "true", [ProxyRouteMetadata.Service] = "inference service" },
        Transforms = [new Dictionary<string, string> { ["RequestHeaderRemove"] = AdminKeyDefaults.HeaderName }],
    };

    // Trainer routes never retry: a second POST /train would start a second training run.
    private static RouteConfig TrainerRoute(string id, string path, string[] methods, bool admin) => new()
    {
        RouteId = id,
        ClusterId = TrainerCluster,
        Match = new RouteMatch { Path = path, Methods = methods },
        AuthorizationPolicy = admin ? AdminKeyDefaults.PolicyName : null,
        Metadata = new Dictionary<string, string> { [ProxyRouteMetadata.Service] = "trainer" },
        // A change carries the admin key on to the trainer, which checks it again (it may be reachable without the
        // gateway); a read has no use for it, so it stops here.
        Transforms = admin ? [] : [new Dictionary<string, string> { ["RequestHeaderRemove"] = AdminKeyDefaults.HeaderName }],
    };

    /// <summary>http://{service} when configuration has services:{service} (Aspire's service discovery convention).</summary>
    private static Uri? Discovered(IConfiguration configuration, string service) =>
        configuration.GetSection("services").GetSection(service).Exists() ? new Uri($"http://{service}") : null;

    private static ClusterConfig InferenceClusterConfig(Uri endpoint, ProxyOptions options) => new()
    {
        ClusterId = InferenceCluster,
        LoadBalancingPolicy = LoadBalancingPolicies.PowerOfTwoChoices,
        Destinations = Destination(InferenceCluster, endpoint),
        HealthCheck = new HealthCheckConfig
        {
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = options.HealthCheckInterval,
                Timeout = options.HealthCheckTimeout,
                Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
                Path = "/health",
            },
            Passive = new PassiveHealthCheckConfig
            {
                Enabled = true,
                Policy = HealthCheckConstants.PassivePolicy.TransportFailureRate,
                ReactivationPeriod = options.PassiveReactivationPeriod,
            },
            // A replica without a model answers /health with 503; when none is ready, let the requests through so the
            // caller reads the service's own explanation ("no model has been published yet") instead of a bare 503.
            AvailableDestinationsPolicy = HealthCheckConstants.AvailableDestinations.HealthyOrPanic,
        },
        Metadata = new Dictionary<string, string> { ["ConsecutiveFailuresHealthPolicy.Threshold"] = "2" },
    };

    private static ClusterConfig TrainerClusterConfig(Uri endpoint, ProxyOptions options) => new()
    {
        ClusterId = TrainerCluster,
        Destinations = Destination(TrainerCluster, endpoint),
        HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig { ActivityTimeout = options.TrainerActivityTimeout },
    };

    private static Dictionary<string, DestinationConfig> Destination(string cluster, Uri endpoint) =>
        new() { [cluster] = new DestinationConfig { Address = endpoint.ToString() } };
}
