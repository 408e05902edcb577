using System.Net.Sockets;
using System.Text;

namespace Fer.AppHost.Supervision;

/// <summary>Sends PING over RESP and expects +PONG: enough to know a Redis (or Garnet) is ready, with no client library.</summary>
public sealed class RedisPingProbe(string host, int port) : IHealthProbe
{
    public async Task<HealthResult> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            var answer = Encoding.ASCII.GetString(buffer, 0, read).TrimEnd();
            return answer == "+PONG"
                ? new HealthResult(HealthState.Healthy, $"PONG from {host}:{port}")
                : new HealthResult(HealthState.Unhealthy, $"{host}:{port} answered '{answer}' to PING");
        }
        catch (SocketException e)
        {
            return new HealthResult(HealthState.Unhealthy, $"{host}:{port}: {e.SocketErrorCode}");
        }
        catch (IOException e)
        {
            return new HealthResult(HealthState.Unhealthy, $"{host}:{port}: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthResult(HealthState.Unhealthy, $"{host}:{port}: no answer within 3 s");
        }
    }
}
