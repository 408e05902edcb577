using System.Runtime.InteropServices;

namespace Fer.AppHost.Supervision;

/// <summary>POSIX signals, which .NET's Process cannot send: SIGTERM lets a service shut down gracefully.</summary>
public static partial class ProcessSignals
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>Sends <paramref name="signal"/>; false where the process is gone or signals do not exist (Windows).</summary>
    public static bool Send(int pid, int signal) => !OperatingSystem.IsWindows() && Kill(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
