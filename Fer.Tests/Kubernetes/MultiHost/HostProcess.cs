using System.Diagnostics;
using System.Text;

namespace Fer.Tests.Kubernetes.MultiHost;

/// <summary>A service running on a host (<c>ip netns exec</c> runs it in place, so this is the service's own process),
/// with the last of what it printed for a failure's message.</summary>
public sealed class HostProcess : IDisposable
{
    private const int KeptCharacters = 6000;
    private readonly Process process;
    private readonly StringBuilder output = new();
    private bool disposed;

    public HostProcess(string name, Process process)
    {
        Name = name;
        this.process = process;
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public bool HasExited => disposed || process.HasExited;

    /// <summary>What it printed last.</summary>
    public string Output
    {
        get
        {
            lock (output) return output.ToString();
        }
    }

    /// <summary>Kills it at once, as a node that dies does (SIGKILL), and waits until it is gone.</summary>
    public void Kill()
    {
        if (disposed || process.HasExited) return;
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (output)
        {
            output.AppendLine(line);
            if (output.Length > KeptCharacters) output.Remove(0, output.Length - KeptCharacters);
        }
    }

    public void Dispose()
    {
        Kill();
        disposed = true;
        process.Dispose();
    }
}
