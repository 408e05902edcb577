using System.Diagnostics;

namespace Fer.Tests.Kubernetes.MultiHost;

/// <summary>One host: a network namespace whose only link (<see cref="Link"/>, its end on the bridge) can be cut.</summary>
public sealed class NetworkHost(string @namespace, string link, string address) : IDisposable
{
    private readonly List<HostProcess> processes = [];

    public string Namespace { get; } = @namespace;
    public string Link { get; } = link;
    public string Address { get; } = address;

    /// <summary>Pulls the host's cable: nothing reaches it and it reaches nothing; what runs on it keeps running.</summary>
    public void Cut() => Ip.Run("link", "set", Link, "down");

    public void Reconnect() => Ip.Run("link", "set", Link, "up");

    /// <summary>Starts <paramref name="program"/> on this host with exactly <paramref name="environment"/> (and PATH).</summary>
    public HostProcess Start(string name, string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var argument in new[] { "netns", "exec", Namespace, program }.Concat(arguments)) start.ArgumentList.Add(argument);
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = new HostProcess(name, Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}"));
        processes.Add(process);
        return process;
    }

    public void Dispose()
    {
        foreach (var process in processes) process.Dispose();
    }
}
