using System.Runtime.CompilerServices;

namespace Fer.Tests.Infrastructure;

/// <summary>
/// Points this test process's temp folder (TMPDIR, which <see cref="Path.GetTempPath"/> reads on every call and child
/// processes inherit) at a folder of its own, deleted when the process exits. Models, run folders, Redis data and browser
/// profiles then never pile up in /tmp, whichever test forgot to clean up; folders left by a test process that was killed
/// are removed by the next one.
/// </summary>
internal static class TestTempRoot
{
    private const string Prefix = "fer-test-run-";

    [ModuleInitializer]
    internal static void Initialize()
    {
        var system = Path.GetTempPath();
        RemoveLeftovers(system);
        var root = Directory.CreateDirectory(Path.Combine(system, Prefix + Environment.ProcessId)).FullName;
        Environment.SetEnvironmentVariable("TMPDIR", root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(root);
    }

    private static void RemoveLeftovers(string system)
    {
        foreach (var folder in Directory.EnumerateDirectories(system, Prefix + "*"))
            if (int.TryParse(Path.GetFileName(folder)[Prefix.Length..], out var pid) && !IsRunning(pid))
                TryDelete(folder);
    }

    private static bool IsRunning(int pid) => Directory.Exists($"/proc/{pid}");

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A child process may still be writing; the next test run removes what is left.
        }
    }
}
