using System.Diagnostics;
using System.Text.Json;
using Fer.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

// Cross-cutting service concerns in the spirit of Aspire's ServiceDefaults template: telemetry, health, service
// discovery and resilience. Every Fer service calls AddServiceDefaults() and MapDefaultEndpoints().
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    public const string LiveTag = "live";

    /// <summary>The id a request carries end to end: the gateway sets it (the caller's, or a new one) and forwards it.</summary>
    public const string RequestIdHeader = "X-Request-Id";

    /// <summary>Every Fer ActivitySource and Meter is named "Fer.Something"; the wildcard registers them all.</summary>
    public const string FerTelemetryPrefix = "Fer.*";

    /// <summary>The named HttpClients the OTLP exporter asks IHttpClientFactory for.</summary>
    private static readonly string[] OtlpExporterHttpClients = ["OtlpTraceExporter", "OtlpMetricExporter", "OtlpLogExporter"];

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddLoggingDefaults();
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<ProblemDetailsOptions>(problems => problems.CustomizeProblemDetails += AddRequestIds);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<HostMeter>();
        builder.Services.AddSingleton<HostMeterService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<HostMeterService>());
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var tracePlumbing = builder.Configuration.GetValue<bool>(TracePlumbing.SettingKey);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(FerTelemetryPrefix))
            .WithTracing(tracing =>
            {
                // Before any exporter: it sees the span's Recorded flag as this processor leaves it.
                if (!tracePlumbing) tracing.SetSampler(TracePlumbing.Sampler()).AddProcessor(new TracePlumbing.WithoutPlumbingClientSpans());
                tracing
                    .AddSource(builder.Environment.ApplicationName)
                    .AddSource(FerTelemetryPrefix)
                    .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => tracePlumbing || !IsPlumbingRequest(context.Request))
                    .AddHttpClientInstrumentation(http => http.FilterHttpRequestMessage = request => tracePlumbing ||
                        request.RequestUri is null || !IsHealthRequest(new PathString(request.RequestUri.AbsolutePath)));
            });

        // OTEL_EXPORTER_OTLP_ENDPOINT (and _PROTOCOL, _HEADERS) are read by the exporter itself; without an endpoint
        // nothing is exported and nothing complains.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
            builder.Services.AddHostedService<TelemetryShutdown>();
            // The exporter follows the OTLP retry rules itself. The standard resilience handler that
            // ConfigureHttpClientDefaults adds would also retry its exports, and at shutdown keep a service
            // waiting for seconds on a collector that has gone away.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way to opt a client out.
            foreach (var client in OtlpExporterHttpClients)
                builder.Services.AddHttpClient(client).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy("the process is running"), [LiveTag]);
        return builder;
    }

    /// <summary>/health (ready: every check) and /alive (live: only the "live" checks), in every environment:
    /// the orchestrator and the gateway rely on them.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions { ResponseWriter = WriteHealthReport });
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
            ResponseWriter = WriteHealthReport,
        });
        return app;
    }

    /// <summary>Unhandled exceptions and bare status codes (404, 405) answer as ProblemDetails too (the service registers
    /// <c>AddProblemDetails</c>).</summary>
    public static WebApplication UseProblemDetailsErrors(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>Listens on <paramref name="defaultUrl"/> unless ASPNETCORE_URLS / --urls already say where.</summary>
    public static WebApplicationBuilder UseDefaultUrl(this WebApplicationBuilder builder, string defaultUrl)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]) && string.IsNullOrWhiteSpace(builder.Configuration["http_ports"]))
            builder.WebHost.UseUrls(defaultUrl);
        return builder;
    }

    /// <summary>Every ProblemDetails names its request: <c>requestId</c> is the id the gateway forwarded (what the caller
    /// saw in <c>X-Request-Id</c>), else this request's trace id; <c>traceId</c> finds the request's trace.</summary>
    private static void AddRequestIds(ProblemDetailsContext context)
    {
        var traceId = Activity.Current?.TraceId.ToString();
        var forwarded = context.HttpContext.Request.Headers[RequestIdHeader].ToString();
        context.ProblemDetails.Extensions["requestId"] = IsSaneRequestId(forwarded) ? forwarded : traceId ?? context.HttpContext.TraceIdentifier;
        if (traceId is not null) context.ProblemDetails.Extensions["traceId"] = traceId;
    }

    private static bool IsSaneRequestId(string id) =>
        id.Length is > 0 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');

    private static bool IsPlumbingRequest(HttpRequest request) =>
        IsHealthRequest(request.Path) || request.Headers.ContainsKey(TracePlumbing.RequestHeader);

    private static bool IsHealthRequest(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath) || path.StartsWithSegments(AlivenessEndpointPath);

    private static Task WriteHealthReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            durationMs = report.TotalDuration.TotalMilliseconds,
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new
                {
                    status = entry.Value.Status.ToString(),
                    description = entry.Value.Description,
                    error = entry.Value.Exception?.Message,
                    data = entry.Value.Data.Count == 0 ? null : entry.Value.Data,
                }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonOptions));
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
