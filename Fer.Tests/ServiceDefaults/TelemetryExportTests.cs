using System.Collections.Concurrent;
using System.Text;
using Fer.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Fer.Tests.ServiceDefaults;

public sealed class TelemetryExportTests
{
    [Fact]
    public async Task Traces_LeaveTheProcessOverOtlpHttp_WithTheConfiguredServiceName()
    {
        // A real OTLP/HTTP endpoint on loopback that records what it receives.
        var received = new ConcurrentQueue<(string Path, string ContentType, byte[] Body)>();
        var receiverBuilder = LoopbackApp.CreateBuilder();
        await using var receiver = receiverBuilder.Build();
        receiver.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            received.Enqueue((context.Request.Path, context.Request.ContentType ?? "", buffer.ToArray()));
            return Results.Ok();
        });
        var receiverUri = await receiver.StartOnLoopbackAsync();

        const string serviceName = "fer-telemetry-test";
        var builder = LoopbackApp.CreateBuilder(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = serviceName,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiverUri.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/work", () => "done");
        using (var client = new HttpClient { BaseAddress = await app.StartOnLoopbackAsync() })
        {
            Assert.Equal("done", await client.GetStringAsync("/work"));
            await client.GetStringAsync("/health");
        }
        await app.DisposeAsync(); // shutting down flushes the batch exporters

        var traces = received.Where(r => r.Path == "/v1/traces").ToList();
        Assert.NotEmpty(traces);
        Assert.All(traces, t => Assert.Equal("application/x-protobuf", t.ContentType));
        var text = string.Join("\n", traces.Select(t => Encoding.UTF8.GetString(t.Body)));
        Assert.Contains(serviceName, text);
        Assert.Contains("/work", text);
        Assert.DoesNotContain("/health", text); // health probes are filtered out of traces
        Assert.Contains(received, r => r.Path == "/v1/logs" || r.Path == "/v1/metrics");
    }

    [Fact]
    public async Task Exports_AreNotRetriedByTheHttpResilienceHandler()
    {
        // A collector that fails every export with 500: the OTLP rules do not retry that, while the standard
        // resilience handler would (it treats 5xx as transient) and multiply every export.
        var traceExports = 0;
        await using var receiver = LoopbackApp.CreateBuilder().Build();
        receiver.MapPost("/v1/{signal}", (string signal) =>
        {
            if (signal == "traces") Interlocked.Increment(ref traceExports);
            return Results.StatusCode(500);
        });
        var receiverUri = await receiver.StartOnLoopbackAsync();

        var builder = LoopbackApp.CreateBuilder(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiverUri.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapGet("/work", () => "done");
        using (var client = new HttpClient { BaseAddress = await app.StartOnLoopbackAsync() })
            Assert.Equal("done", await client.GetStringAsync("/work"));
        await app.DisposeAsync(); // one batch, flushed once at shutdown

        // On a busy machine the flush may outlast the shutdown's wait: wait for the export, then long enough for the
        // resilience handler's first retry (about 2 s) to have come if there were one.
        await Poll.UntilAsync(() => Task.FromResult(Volatile.Read(ref traceExports)), n => n >= 1, TimeSpan.FromSeconds(20), "the trace export");
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Equal(1, Volatile.Read(ref traceExports));
    }

    [Fact]
    public async Task WithoutAnEndpoint_TheServiceServesAndTracesStillFlowInProcess()
    {
        var builder = LoopbackApp.CreateBuilder();
        builder.AddServiceDefaults();
        await using var app = builder.Build();
        app.MapGet("/work", () => "done");
        var seen = new ConcurrentQueue<string>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) =>
                System.Diagnostics.ActivitySamplingResult.AllData,
            ActivityStopped = activity => seen.Enqueue(activity.DisplayName),
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        using var client = new HttpClient { BaseAddress = await app.StartOnLoopbackAsync() };

        Assert.Equal("done", await client.GetStringAsync("/work"));
        Assert.Contains(seen, name => name.Contains("/work", StringComparison.Ordinal));
    }
}
