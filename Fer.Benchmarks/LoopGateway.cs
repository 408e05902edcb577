using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fer.ServiceDefaults.Security;

namespace Fer.Benchmarks;

/// <summary>The running system as the monitoring loop reaches it: JSON reads, and admin writes with the key, through the
/// gateway. Every failure becomes an <see cref="HttpRequestException"/> whose message says what went wrong and what to
/// do (the command prints it on one line): the gateway not reachable, the admin key refused, a service's problem.</summary>
public sealed class LoopGateway : IDisposable
{
    private readonly string adminKey;

    public LoopGateway(Uri address, string adminKey)
    {
        this.adminKey = adminKey;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The client the loop's traffic shares (no admin key on it).</summary>
    public HttpClient Http { get; }

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, admin: false, cancellationToken);

    public Task<JsonElement> PutAsync(string path, JsonNode body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, path, body, admin: true, cancellationToken);

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, JsonNode? body, bool admin, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (admin) request.Headers.Add(AdminKeyDefaults.HeaderName, adminKey);
        HttpResponseMessage response;
        try
        {
            response = await Http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException($"the gateway at {Http.BaseAddress} is not reachable ({e.Message}): is the AppHost running (dotnet run --project Fer.AppHost)?", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException($"{method} {path} got no answer within {Http.Timeout.TotalSeconds:0} s from the gateway at {Http.BaseAddress}", e);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw new HttpRequestException($"the gateway refused the admin key ({(int)response.StatusCode} {Problem(text)}): pass the AppHost's admin key with --admin-key or FER_ADMIN_KEY");
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {Problem(text)}");
            try
            {
                return JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new HttpRequestException($"{method} {path} did not answer JSON: is {Http.BaseAddress} Fer's gateway?");
            }
        }
    }

    /// <summary>A ProblemDetails body's title and detail, else the body's start.</summary>
    private static string Problem(string text)
    {
        try
        {
            var problem = JsonDocument.Parse(text).RootElement;
            if (problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("title", out var title))
                return problem.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String
                    ? $"{title.GetString()}: {detail.GetString()}"
                    : title.GetString() ?? "";
        }
        catch (JsonException)
        {
        }
        return text.Length > 200 ? text[..200] + "..." : text;
    }

    public void Dispose() => Http.Dispose();
}
