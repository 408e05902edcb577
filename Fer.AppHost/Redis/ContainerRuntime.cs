using System.Net.Sockets;

namespace Fer.AppHost.Redis;

/// <summary>
/// Whether a Docker or Podman engine answers on its socket. Only the socket is tried (a connect, well under a second):
/// a `docker` client without an engine, as on many build machines, does not count.
/// </summary>
public static class ContainerRuntime
{
    public static bool Answers()
    {
        foreach (var socket in CandidateSockets())
        {
            if (!File.Exists(socket)) continue;
            try
            {
                using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                if (client.ConnectAsync(new UnixDomainSocketEndPoint(socket)).Wait(TimeSpan.FromSeconds(1))) return true;
            }
            catch (Exception e) when (e is SocketException or AggregateException)
            {
                // Not listening: try the next one.
            }
        }
        return false;
    }

    private static IEnumerable<string> CandidateSockets()
    {
        if (Environment.GetEnvironmentVariable("DOCKER_HOST") is { } host && host.StartsWith("unix://", StringComparison.Ordinal))
            yield return host["unix://".Length..];
        yield return "/var/run/docker.sock";
        if (Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime)
        {
            yield return Path.Combine(runtime, "docker.sock");
            yield return Path.Combine(runtime, "podman", "podman.sock");
        }
        yield return "/run/podman/podman.sock";
    }
}
