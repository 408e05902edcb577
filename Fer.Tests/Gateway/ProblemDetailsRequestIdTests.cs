using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fer.Tests.Inference;
using Fer.Tests.Trainer.Apis;

namespace Fer.Tests.Gateway;

/// <summary>
/// Every ProblemDetails carries <c>requestId</c> (and <c>traceId</c>): the inference service's and the trainer's own
/// answers, asked directly and through the gateway, where the id is the one the caller sees in <c>X-Request-Id</c>.
/// </summary>
[Collection(TrainerCollection.Name)]
public sealed class ProblemDetailsRequestIdTests(TrainerFixture trainers)
{
    [Fact]
    public async Task InferenceAndTrainerProblems_CarryTheForwardedRequestId_OrTheirTraceId_DirectlyAndThroughTheGateway()
    {
        var model = InferenceTestModels.WriteToTempFile(seed: 5);
        try
        {
            await using var inference = await InferenceHost.StartWithFileAsync(model);
            await using var trainer = await trainers.StartAppAsync(TrainerFixture.NewPrefix());
            await using var gateway = await GatewayHost.StartAsync([inference.Client.BaseAddress!], trainer.Client.BaseAddress);
            using var front = gateway.CreateClient();

            foreach (var (client, method, path) in new[]
            {
                (inference.Client, HttpMethod.Post, "/predict"), // not an image: 400
                (trainer.Client, HttpMethod.Get, "/train/no-such-job"), // 404
                (trainer.Client, HttpMethod.Get, "/models/v9999"), // 404
            })
            {
                // Directly, with an id as the gateway forwards it: the service quotes it.
                var quoted = await ProblemAsync(client, method, path, "req-from-gateway-42");
                Assert.Equal("req-from-gateway-42", quoted.GetProperty("requestId").GetString());
                Assert.Matches("^[0-9a-f]{32}$", quoted.GetProperty("traceId").GetString());

                // Directly, without one (or with one that is not a sane token): the request's trace id.
                foreach (var sent in new[] { null, "<script>" })
                {
                    var own = await ProblemAsync(client, method, path, sent);
                    Assert.Equal(own.GetProperty("traceId").GetString(), own.GetProperty("requestId").GetString());
                }
            }

            // Through the gateway: the service's own ProblemDetails, forwarded, name the id the caller got back.
            foreach (var (method, path, status) in new[]
            {
                (HttpMethod.Post, "/predict", HttpStatusCode.BadRequest),
                (HttpMethod.Get, "/train/no-such-job", HttpStatusCode.NotFound),
                (HttpMethod.Get, "/models/v9999", HttpStatusCode.NotFound),
            })
            {
                using var request = Request(method, path);
                var response = await front.SendAsync(request);
                Assert.Equal(status, response.StatusCode);
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), problem.GetProperty("requestId").GetString());
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(model)!, recursive: true);
        }
    }

    private static async Task<JsonElement> ProblemAsync(HttpClient client, HttpMethod method, string path, string? requestId)
    {
        using var request = Request(method, path);
        if (requestId != null) request.Headers.TryAddWithoutValidation("X-Request-Id", requestId);
        var response = await client.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static HttpRequestMessage Request(HttpMethod method, string path) =>
        new(method, path) { Content = method == HttpMethod.Post ? NotAJpeg() : null };

    private static ByteArrayContent NotAJpeg()
    {
        var content = new ByteArrayContent("hello"u8.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/jpeg");
        return content;
    }
}
