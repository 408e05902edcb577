using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Fer.Tests.Infrastructure;

/// <summary>Starts a program so that Ctrl+C (SIGINT) reaches it, and sends it one: a test runner started in the
/// background ignores SIGINT and a child would inherit that, so the program starts through `env --default-signal=INT`
/// (which execs it: the process's id is the program's).</summary>
public static partial class InterruptibleProcess
{
    private const int SigInt = 2;

    /// <summary>Starts <paramref name="executable"/> with its output redirected.</summary>
    public static Process Start(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add(executable);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal; false where the kernel refused.</summary>
    public static bool Interrupt(Process process) => Kill(process.Id, SigInt) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
