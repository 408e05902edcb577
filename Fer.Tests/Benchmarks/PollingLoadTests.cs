using System.Net;
using System.Text;
using Fer.Benchmarks;
using Fer.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fer.Tests.Benchmarks;

/// <summary>The inference benchmark's load generator against a real Kestrel on loopback: every request gets its own
/// response, whether it comes chunked, with a Content-Length, or over many reads, and failures are counted apart.</summary>
public class PollingLoadTests
{
    private const string Timings = """{"timings":{"batchSize":7,"inferenceMs":1.5,"totalMs":2.5}""";

    [Fact]
    public async Task EveryRequest_GetsItsOwnResponse_HoweverItIsFramed()
    {
        await using var app = LoopbackApp.CreateBuilder().Build();
        app.MapPost("/predict", Answer);
        var address = await app.StartOnLoopbackAsync();
        var server = new IPEndPoint(IPAddress.Loopback, address.Port);
        // In turn: chunked, Content-Length, a chunked body far longer than one read, and a failure.
        var requests = new[] { "chunked", "length", "large", "fail" }
            .Select(kind => LeanHttpConnection.EncodePost(server, "/predict", "text/plain", Encoding.ASCII.GetBytes(kind))).ToList();

        var window = await PollingLoad.RunAsync(server, requests, concurrency: 4, TimeSpan.FromSeconds(1));

        var answered = window.Latencies.Count + window.Failures;
        Assert.True(answered > 40, $"only {answered} requests were answered in a second");
        Assert.Equal(answered / 4, window.Failures); // every fourth request asked for a failure
        Assert.Equal(window.Latencies.Count, window.Timings.Count);
        Assert.All(window.Timings, timing => Assert.Equal((7, 1.5, 2.5), timing));
    }

    private static async Task Answer(HttpContext context)
    {
        var kind = await new StreamReader(context.Request.Body).ReadToEndAsync();
        switch (kind)
        {
            case "length":
                context.Response.ContentLength = Timings.Length + 1;
                await context.Response.WriteAsync(Timings + "}");
                break;
            case "large":
                await context.Response.WriteAsync(Timings + ",\"padding\":\"");
                await context.Response.Body.FlushAsync();
                await context.Response.WriteAsync(new string('x', 200_000) + "\"}");
                break;
            case "fail":
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("{\"title\":\"asked for\"}");
                break;
            default:
                await context.Response.WriteAsync(Timings);
                await context.Response.Body.FlushAsync();
                await context.Response.WriteAsync("}");
                break;
        }
    }
}
