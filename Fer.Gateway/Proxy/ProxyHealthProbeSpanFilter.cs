using System.Diagnostics;
using OpenTelemetry;

namespace Fer.Gateway.Proxy;

/// <summary>
/// Keeps YARP's periodic active health probes (a span per cluster and destination every few seconds) out of the
/// exported traces, as ServiceDefaults already does for every /health request: they would bury the real traffic.
/// </summary>
internal sealed class ProxyHealthProbeSpanFilter : BaseProcessor<Activity>
{
    public override void OnStart(Activity data)
    {
        if (data.Source.Name == "Yarp.ReverseProxy" && data.OperationName.Contains("health_check", StringComparison.Ordinal))
        {
            data.IsAllDataRequested = false;
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }
}
