using System.Diagnostics;

namespace Fer.Tests.Kubernetes.MultiHost;

/// <summary>iproute2's <c>ip</c>, run to completion; a failure throws with what it said.</summary>
public static class Ip
{
    public static void Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)}: exit {process.ExitCode}: {errors.Result.Trim()}");
    }
}
