using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Fer.AppHost.Dashboard;
using Fer.AppHost.Otlp;
using Fer.AppHost.Telemetry;
using Fer.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fer.Tests.Dashboard;

public sealed class OtlpReceiverTests
{
    [Fact]
    public async Task StockDotNetExporter_SpansLogsAndMetrics_ShowUpInTheDashboardApi()
    {
        await using var receiver = await StartReceiverAsync();
        using var dashboard = new HttpClient { BaseAddress = receiver.Uri };

        const string service = "fer-dashboard-test";
        var builder = LoopbackApp.CreateBuilder(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = service,
            ["OTEL_RESOURCE_ATTRIBUTES"] = "service.instance.id=test-0",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Uri.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/work/{id}", (int id, ILogger<OtlpReceiverTests> logger) =>
        {
            logger.LogWarning("Working on order {OrderId}", id);
            return "done";
        });
        using (var client = new HttpClient { BaseAddress = await app.StartOnLoopbackAsync() })
            Assert.Equal("done", await client.GetStringAsync("/work/42"));
        await app.DisposeAsync(); // flushes the exporters

        // HttpClient spans of this test process are exported too (that instrumentation listens process-wide): the
        // test's own call to /work is the client span at the root of the trace, the server span its child.
        var traces = await dashboard.GetFromJsonAsync<JsonElement>($"/api/traces?service={service}&q=/work/");
        var trace = Assert.Single(traces.EnumerateArray());
        var spans = await dashboard.GetFromJsonAsync<JsonElement>($"/api/traces/{trace.GetProperty("traceId").GetString()}");
        var span = Assert.Single(spans.EnumerateArray(), s => s.GetProperty("name").GetString() == "GET /work/{id}");
        Assert.Equal(service, span.GetProperty("service").GetString());
        Assert.Equal("test-0", span.GetProperty("instance").GetString());
        Assert.Equal("Server", span.GetProperty("kind").GetString());
        Assert.Equal("/work/42", span.GetProperty("attributes").GetProperty("url.path").GetString());
        Assert.Equal("200", span.GetProperty("attributes").GetProperty("http.response.status_code").GetString());
        Assert.InRange(span.GetProperty("durationMs").GetDouble(), 0.001, 60_000);

        var logs = await dashboard.GetFromJsonAsync<JsonElement>($"/api/logs?service={service}&level=warning&q=order");
        var log = Assert.Single(logs.EnumerateArray());
        Assert.Equal("Working on order 42", log.GetProperty("body").GetString());
        Assert.Equal("Warning", log.GetProperty("level").GetString());
        Assert.Equal("42", log.GetProperty("attributes").GetProperty("OrderId").GetString());
        Assert.Equal(trace.GetProperty("traceId").GetString(), log.GetProperty("traceId").GetString()); // the log links to its trace
        Assert.EndsWith(nameof(OtlpReceiverTests), log.GetProperty("category").GetString());

        var instruments = await dashboard.GetFromJsonAsync<JsonElement>("/api/metrics");
        Assert.Contains(instruments.EnumerateArray(), i => i.GetProperty("service").GetString() == service
            && i.GetProperty("name").GetString() == "http.server.request.duration" && i.GetProperty("type").GetString() == "histogram");
        var series = await dashboard.GetFromJsonAsync<JsonElement>($"/api/metrics/{service}/process.memory.usage");
        var points = series.EnumerateArray().First().GetProperty("points");
        Assert.True(points[0][1].GetDouble() > 1_000_000, $"process memory should be megabytes: {points}");
    }

    [Fact]
    public async Task StockDotNetExporter_OverGrpc_IsReceivedToo()
    {
        var receiverBuilder = LoopbackApp.CreateBuilder();
        receiverBuilder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        AddTelemetry(receiverBuilder.Services);
        await using var receiver = receiverBuilder.Build();
        receiver.MapOtlpGrpcApi();
        var grpcUri = await receiver.StartOnLoopbackAsync();

        const string service = "fer-grpc-test";
        var builder = LoopbackApp.CreateBuilder(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = service,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = grpcUri.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
        });
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapGet("/grpc-work", () => "done");
        using (var client = new HttpClient { BaseAddress = await app.StartOnLoopbackAsync() })
            Assert.Equal("done", await client.GetStringAsync("/grpc-work"));
        await app.DisposeAsync();

        var store = receiver.Services.GetRequiredService<TraceStore>();
        var trace = Assert.Single(store.List(service, "/grpc-work", false, 10));
        Assert.Contains(store.Get(trace.TraceId)!, span => span.Name == "GET /grpc-work" && span.Service == service);
        Assert.Contains(receiver.Services.GetRequiredService<MetricStore>().Instruments(), i => i.Service == service);
    }

    [Fact]
    public async Task MalformedProtobuf_GetsA400ProblemThatSaysWhatIsWrong()
    {
        await using var receiver = await StartReceiverAsync();
        using var client = new HttpClient { BaseAddress = receiver.Uri };
        using var body = new ByteArrayContent([0x0A, 0x7F, 0x01]); // field 1, 127 bytes announced, 1 present
        body.Headers.ContentType = new MediaTypeHeaderValue(OtlpHttpApi.ProtobufContentType);

        var response = await client.PostAsync("/v1/traces", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("runs past the end", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task OtlpJson_GetsA415ThatNamesTheSupportedEncoding()
    {
        await using var receiver = await StartReceiverAsync();
        using var client = new HttpClient { BaseAddress = receiver.Uri };

        var response = await client.PostAsync("/v1/logs", JsonContent.Create(new { resourceLogs = Array.Empty<object>() }));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/x-protobuf", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownTrace_Gets404Problem()
    {
        await using var receiver = await StartReceiverAsync();
        using var client = new HttpClient { BaseAddress = receiver.Uri };

        var response = await client.GetAsync("/api/traces/0123456789abcdef0123456789abcdef");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("0123456789abcdef0123456789abcdef", await response.Content.ReadAsStringAsync());
    }

    private static async Task<Receiver> StartReceiverAsync()
    {
        var builder = LoopbackApp.CreateBuilder();
        AddTelemetry(builder.Services);
        var app = builder.Build();
        app.MapOtlpHttpApi();
        app.MapDashboardApi();
        return new Receiver(app, await app.StartOnLoopbackAsync());
    }

    private static void AddTelemetry(IServiceCollection services)
    {
        services.AddSingleton(new TelemetryLimits());
        services.AddSingleton<TraceStore>();
        services.AddSingleton<LogStore>();
        services.AddSingleton<MetricStore>();
        services.AddSingleton<OtlpIngest>();
    }

    private sealed record Receiver(WebApplication App, Uri Uri) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
