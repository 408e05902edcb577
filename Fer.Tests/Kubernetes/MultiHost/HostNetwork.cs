using System.Security.Cryptography;

namespace Fer.Tests.Kubernetes.MultiHost;

/// <summary>
/// Hosts on one machine: each a network namespace with its own address, joined by a bridge (the "switch") that also
/// gives this process an address on the network. Names resolve as the cluster's DNS would resolve them
/// (<c>/etc/netns/NAME/hosts</c>, which <c>ip netns exec</c> puts in place of /etc/hosts); any other name fails at once.
/// </summary>
public sealed class HostNetwork : IDisposable
{
    private readonly string id = Convert.ToHexString(RandomNumberGenerator.GetBytes(2)).ToLowerInvariant();
    private readonly int subnet = RandomNumberGenerator.GetInt32(1, 250);
    private readonly List<NetworkHost> hosts = [];

    public HostNetwork()
    {
        Ip.Run("link", "add", Bridge, "type", "bridge");
        Ip.Run("addr", "add", $"{Gateway}/24", "dev", Bridge);
        Ip.Run("link", "set", Bridge, "up");
    }

    private string Bridge => $"fk{id}br";

    /// <summary>This machine's own address on the network (the bridge's).</summary>
    public string Gateway => $"10.213.{subnet}.1";

    public NetworkHost AddHost(string name, int number)
    {
        var host = new NetworkHost($"fer-{id}-{name}", $"fk{id}{hosts.Count}", $"10.213.{subnet}.{number}");
        hosts.Add(host);
        Ip.Run("netns", "add", host.Namespace);
        Ip.Run("link", "add", host.Link, "type", "veth", "peer", "name", "eth0", "netns", host.Namespace);
        Ip.Run("link", "set", host.Link, "master", Bridge, "up");
        Ip.Run("-n", host.Namespace, "addr", "add", $"{host.Address}/24", "dev", "eth0");
        Ip.Run("-n", host.Namespace, "link", "set", "eth0", "up");
        Ip.Run("-n", host.Namespace, "link", "set", "lo", "up");
        Ip.Run("-n", host.Namespace, "route", "add", "default", "via", Gateway);
        return host;
    }

    /// <summary>The same names on every host (name to address), and no DNS server: an unknown name fails at once.</summary>
    public void Resolve(IReadOnlyDictionary<string, string> names)
    {
        var lines = names.Select(name => $"{name.Value} {name.Key}").Prepend("127.0.0.1 localhost");
        foreach (var host in hosts)
        {
            var etc = Directory.CreateDirectory(Path.Combine("/etc/netns", host.Namespace)).FullName;
            File.WriteAllLines(Path.Combine(etc, "hosts"), lines);
            File.WriteAllText(Path.Combine(etc, "resolv.conf"), "nameserver 127.0.0.1\n");
        }
    }

    public void Dispose()
    {
        foreach (var host in hosts)
        {
            host.Dispose();
            TryRun("link", "del", host.Link);
            TryRun("netns", "del", host.Namespace);
            var etc = Path.Combine("/etc/netns", host.Namespace);
            if (Directory.Exists(etc)) Directory.Delete(etc, recursive: true);
        }
        TryRun("link", "del", Bridge);
    }

    private static void TryRun(params string[] arguments)
    {
        try
        {
            Ip.Run(arguments);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
