using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Fer.ServiceDefaults;

/// <summary>Process CPU and memory, and the machine's memory, as OpenTelemetry gauges on the "Fer.Host" meter.</summary>
public sealed class HostMeter : IDisposable
{
    public const string MeterName = "Fer.Host";

    private readonly Meter _meter;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private TimeSpan _lastCpu;
    private long _lastTimestamp;

    public HostMeter(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        _meter = meterFactory.Create(MeterName);
        _lastCpu = Process.GetCurrentProcess().TotalProcessorTime;
        _lastTimestamp = time.GetTimestamp();

        _meter.CreateObservableGauge("process.cpu.utilization", ReadCpuUtilization, "1",
            "CPU used by this process since the last reading, as a fraction of all cores");
        _meter.CreateObservableGauge("process.memory.usage", () => Process.GetCurrentProcess().WorkingSet64, "By",
            "Physical memory in use by this process");
        _meter.CreateObservableGauge("system.memory.usage", () => ReadMachineMemory().Used, "By",
            "Physical memory in use on this machine");
        _meter.CreateObservableGauge("system.memory.limit", () => ReadMachineMemory().Total, "By",
            "Physical memory of this machine");
    }

    public Meter Meter => _meter;

    private double ReadCpuUtilization()
    {
        lock (_gate)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var now = _time.GetTimestamp();
            var wall = _time.GetElapsedTime(_lastTimestamp, now);
            var used = cpu - _lastCpu;
            (_lastCpu, _lastTimestamp) = (cpu, now);
            return wall <= TimeSpan.Zero ? 0 : Math.Clamp(used / wall / Environment.ProcessorCount, 0, 1);
        }
    }

    private static (long Total, long Used) ReadMachineMemory()
    {
        const string memInfo = "/proc/meminfo";
        if (File.Exists(memInfo))
        {
            long total = 0, available = 0;
            foreach (var line in File.ReadLines(memInfo))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal)) total = ParseKilobytes(line);
                else if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)) available = ParseKilobytes(line);
            }
            return (total, total - available);
        }
        var gc = GC.GetGCMemoryInfo();
        return (gc.TotalAvailableMemoryBytes, gc.MemoryLoadBytes);
    }

    private static long ParseKilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;

    public void Dispose() => _meter.Dispose();
}
