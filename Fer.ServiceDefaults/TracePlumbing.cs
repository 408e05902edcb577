using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Fer.ServiceDefaults;

/// <summary>
/// The system's own plumbing stays out of the trace list unless <c>Fer:TracePlumbing=true</c>
/// (<c>Fer__TracePlumbing=true</c>, which the AppHost passes on to every service): health probes, requests the AppHost
/// marks as its own (the training resource following the trainer), and client calls nothing traced has made
/// (Redis PINGs of health checks, lease renewals, polls). A trace then starts where work starts: a request from a
/// user or a service, or one of Fer's own operations (a training job).
/// </summary>
public static class TracePlumbing
{
    public const string SettingKey = "Fer:TracePlumbing";

    /// <summary>The header the AppHost puts on its own requests to a service.</summary>
    public const string RequestHeader = "X-Fer-Plumbing";

    /// <summary>The operation name .NET's HttpClient gives its spans.</summary>
    private const string HttpClientOperation = "System.Net.Http.HttpRequestOut";

    /// <summary>Samples as the SDK does by default (a child follows its parent, a root is recorded), except that a root
    /// client span other than an HTTP call (a Redis command nothing traced has issued) is dropped. An HTTP call is left
    /// to <see cref="WithoutPlumbingClientSpans"/>: a sampler's "drop" travels in its traceparent header, and the service
    /// called would drop its whole trace too (seen: an in-process test's requests lost every server span).</summary>
    public static Sampler Sampler() => new WithoutRootClientSpans();

    /// <summary>
    /// Leaves plumbing client spans out of the export when they end: a client call with no parent, one under a span
    /// that was left out (a health probe's), and Redis PINGs (only health checks and keep-alives ping).
    /// </summary>
    public sealed class WithoutPlumbingClientSpans : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            if (data.Kind == ActivityKind.Client
                && (data.ParentSpanId == default || data.Parent is { Recorded: false } || data.DisplayName == "PING"))
                data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }

    private sealed class WithoutRootClientSpans : Sampler
    {
        private readonly ParentBasedSampler inner = new(new AlwaysOnSampler());

        public override SamplingResult ShouldSample(in SamplingParameters parameters) =>
            parameters.ParentContext.TraceId == default && parameters.Kind == ActivityKind.Client && parameters.Name != HttpClientOperation
                ? new SamplingResult(SamplingDecision.Drop)
                : inner.ShouldSample(parameters);
    }
}
