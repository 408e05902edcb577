using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Fer.AppHost.Supervision;

/// <summary>
/// Remembers the AppHost's child processes in its state folder, so that children left behind by an AppHost that was
/// killed outright (SIGKILL gives it no chance to stop them) are stopped by the next AppHost that uses the folder.
/// A process is identified by pid and start time (/proc/pid/stat), so a recycled pid is never touched.
/// </summary>
public sealed partial class ChildRegistry(string stateDirectory, ILogger<ChildRegistry> logger)
{
    private readonly string _file = Path.Combine(stateDirectory, "children.txt");
    private readonly HashSet<(int Pid, long Start)> _children = [];
    private readonly Lock _gate = new();

    /// <summary>Kills what a previous, dead AppHost left running; returns how many.</summary>
    public int SweepLeftovers()
    {
        if (!File.Exists(_file)) return 0;
        var lines = File.ReadAllLines(_file).Select(Parse).OfType<(string Kind, int Pid, long Start)>().ToList();
        var owner = lines.FirstOrDefault(line => line.Kind == "apphost");
        if (owner.Kind is not null && owner.Pid != Environment.ProcessId && StartTime(owner.Pid) == owner.Start)
        {
            LogShared(logger, _file, owner.Pid);
            return 0;
        }
        var killed = 0;
        foreach (var (_, pid, start) in lines.Where(line => line.Kind == "child"))
        {
            if (StartTime(pid) != start || !ProcessSignals.Send(pid, ProcessSignals.SigKill)) continue;
            LogLeftover(logger, pid);
            killed++;
        }
        File.Delete(_file);
        return killed;
    }

    public void Add(int pid)
    {
        if (StartTime(pid) is not { } start) return;
        lock (_gate)
        {
            _children.Add((pid, start));
            Save();
        }
    }

    public void Remove(int pid)
    {
        lock (_gate)
        {
            _children.RemoveWhere(child => child.Pid == pid);
            Save();
        }
    }

    private void Save()
    {
        var self = StartTime(Environment.ProcessId) ?? 0;
        var lines = _children.Select(child => $"child {child.Pid} {child.Start}").Prepend($"apphost {Environment.ProcessId} {self}");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
            File.WriteAllLines(_file, lines);
        }
        catch (IOException e)
        {
            LogUnsaved(logger, _file, e.Message);
        }
    }

    /// <summary>Field 22 of /proc/pid/stat (start time in clock ticks since boot); null when gone or not Linux.</summary>
    public static long? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[19], CultureInfo.InvariantCulture); // fields after "(comm)" start at field 3
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static (string Kind, int Pid, long Start)? Parse(string line)
    {
        var parts = line.Split(' ');
        return parts.Length == 3 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var pid)
            && long.TryParse(parts[2], CultureInfo.InvariantCulture, out var start)
            ? (parts[0], pid, start)
            : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Killed pid {Pid}, left running by an AppHost that did not stop cleanly")]
    private static partial void LogLeftover(ILogger logger, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{File} belongs to a running AppHost (pid {Pid}): two AppHosts share a state folder")]
    private static partial void LogShared(ILogger logger, string file, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {File}: {Error}")]
    private static partial void LogUnsaved(ILogger logger, string file, string error);
}
