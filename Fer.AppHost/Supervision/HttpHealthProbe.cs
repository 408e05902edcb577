using System.Net.Sockets;

namespace Fer.AppHost.Supervision;

/// <summary>GET {url}/health: 200 is healthy; otherwise /alive decides between not ready (alive) and unhealthy, with
/// the failing check the service names.</summary>
public sealed class HttpHealthProbe(HttpClient http, Uri baseUrl) : IHealthProbe
{
    public const string Path = "/health";
    public const string AlivePath = "/alive";

    /// <summary>Generous: a service's first /health may run slow checks (the trainer's libtorch self-check).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<HealthResult> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            using var response = await http.GetAsync(new Uri(baseUrl, Path), timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            if (body.Length > 500) body = body[..500];
            if (response.IsSuccessStatusCode) return new HealthResult(HealthState.Healthy, body);
            using var alive = await http.GetAsync(new Uri(baseUrl, AlivePath), timeout.Token);
            return new HealthResult(alive.IsSuccessStatusCode ? HealthState.NotReady : HealthState.Unhealthy,
                $"{(int)response.StatusCode}: {body}");
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException)
        {
            return new HealthResult(HealthState.Unhealthy, "not listening yet");
        }
        catch (HttpRequestException e)
        {
            return new HealthResult(HealthState.Unhealthy, e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthResult(HealthState.Unhealthy, $"no answer within {Timeout.TotalSeconds:0} s");
        }
    }
}
