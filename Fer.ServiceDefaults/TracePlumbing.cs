using System.Diagnostics;
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

    /// <summary>Samples as the SDK does by default (a child follows its parent, a root is recorded), except that a root
    /// client span (a call with no request or operation above it) is dropped.</summary>
    public static Sampler Sampler(bool tracePlumbing) =>
        tracePlumbing ? new ParentBasedSampler(new AlwaysOnSampler()) : new WithoutRootClientSpans();

    private sealed class WithoutRootClientSpans : Sampler
    {
        private readonly ParentBasedSampler inner = new(new AlwaysOnSampler());

        public override SamplingResult ShouldSample(in SamplingParameters parameters) =>
            parameters.ParentContext.TraceId == default && parameters.Kind == ActivityKind.Client
                ? new SamplingResult(SamplingDecision.Drop)
                : inner.ShouldSample(parameters);
    }
}
