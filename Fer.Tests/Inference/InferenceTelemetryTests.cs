using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using Fer.Inference.Telemetry;
using Fer.Tests.Infrastructure;

namespace Fer.Tests.Inference;

/// <summary>Spans and metrics of a prediction, seen through real listeners.</summary>
public sealed class InferenceTelemetryTests : IAsyncLifetime
{
    private InferenceHost host = null!;

    public async Task InitializeAsync()
    {
        host = await InferenceHost.StartWithFileAsync(InferenceTestModels.WriteToTempFile(81));
        await host.WaitForVersionAsync("seed-81");
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task APrediction_HasFindFacesAndQueueSpansInItsTrace_AndABatchSpanLinkedToIt()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is InferenceTelemetry.Name or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        // The client's trace: HttpClient propagates it, so every server-side span of this request carries its id.
        using var client = new Activity("client").SetIdFormat(ActivityIdFormat.W3C).Start();
        var traceId = client.TraceId;

        var response = await host.Client.PostAsync("/predict", Jpeg());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The server span stops after the response has gone out, and the batch span after its requests were answered:
        // both may end a moment after the client has its answer.
        await Poll.UntilAsync(() => Task.FromResult(spans.ToList()),
            stopped => stopped.Any(s => s.TraceId == traceId && s.Source.Name == "Microsoft.AspNetCore")
                && stopped.Any(s => s.DisplayName == TelemetryTags.BatchRunSpan && s.Links.Any(l => l.Context.TraceId == traceId)),
            TimeSpan.FromSeconds(10), "the request's server span and its batch span to stop");
        var mine = spans.Where(s => s.TraceId == traceId).ToList();
        var decode = Assert.Single(mine, s => s.DisplayName == TelemetryTags.FindFacesSpan);
        Assert.Equal("whole", decode.GetTagItem(TelemetryTags.FaceMode)); // FER2013's 48x48 face: small images are taken whole
        var wait = Assert.Single(mine, s => s.DisplayName == TelemetryTags.QueueWaitSpan);
        Assert.Equal("seed-81", wait.GetTagItem(TelemetryTags.ModelVersion));
        Assert.True(wait.Duration >= TimeSpan.Zero);
        var server = Assert.Single(mine, s => s.Source.Name == "Microsoft.AspNetCore" && s.DisplayName.Contains("/predict", StringComparison.Ordinal));
        Assert.Equal(server.SpanId, decode.ParentSpanId);
        var batch = Assert.Single(spans, s => s.DisplayName == TelemetryTags.BatchRunSpan && s.Links.Any(l => l.Context.TraceId == traceId));
        Assert.Equal("seed-81", batch.GetTagItem(TelemetryTags.ModelVersion));
        Assert.True((int)batch.GetTagItem(TelemetryTags.BatchSize)! >= 1);
    }

    [Fact]
    public async Task Requests_AreCountedByOutcome_AndPredictionsByEmotion()
    {
        var measurements = new ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == InferenceTelemetry.Name) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measurements.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();

        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync("/predict", Jpeg())).StatusCode);
        var bad = new ByteArrayContent("nope"u8.ToArray());
        bad.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.PostAsync("/predict", bad)).StatusCode);

        Assert.Contains(measurements, m => m.Instrument == "fer.inference.requests" && (string?)m.Tags[TelemetryTags.Outcome] == "ok");
        Assert.Contains(measurements, m => m.Instrument == "fer.inference.requests" && (string?)m.Tags[TelemetryTags.Outcome] == "bad_request");
        Assert.Contains(measurements, m => m.Instrument == "fer.inference.predictions" && m.Tags.ContainsKey(TelemetryTags.Emotion));
        listener.RecordObservableInstruments();
    }

    private static ByteArrayContent Jpeg()
    {
        var content = new ByteArrayContent(File.ReadAllBytes(InferenceTestModels.FerImages()[2]));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return content;
    }
}
