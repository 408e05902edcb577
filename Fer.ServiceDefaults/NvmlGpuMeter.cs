using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using System.Text;

namespace Fer.ServiceDefaults;

/// <summary>
/// GPU gauges read through NVML (libnvidia-ml.so.1, shipped with the NVIDIA driver) under the OpenTelemetry
/// semantic-convention names. Without a driver there are no GPU instruments at all.
/// </summary>
public sealed class NvmlGpuMeter
{
    public const string LibraryName = "libnvidia-ml.so.1";

    private readonly Nvml _nvml;
    private readonly IReadOnlyList<Gpu> _gpus;

    private NvmlGpuMeter(Nvml nvml, IReadOnlyList<Gpu> gpus) => (_nvml, _gpus) = (nvml, gpus);

    public int DeviceCount => _gpus.Count;

    public IReadOnlyList<string> DeviceNames => _gpus.Select(gpu => gpu.Name).ToArray();

    /// <summary>Creates the gauges on <paramref name="meter"/>; returns null (and says why) when NVML is not usable.</summary>
    public static NvmlGpuMeter? TryCreate(Meter meter, out string reason, string libraryName = LibraryName)
    {
        if (!NativeLibrary.TryLoad(libraryName, out var handle))
        {
            reason = $"no NVIDIA driver ({libraryName} not found): no GPU instruments";
            return null;
        }
        var nvml = new Nvml(handle);
        if (nvml.Init() is var init and not 0)
        {
            reason = $"NVML did not initialise (error {init}): no GPU instruments";
            return null;
        }
        var gpus = new List<Gpu>();
        if (nvml.DeviceCount(out var count) == 0)
        {
            for (uint i = 0; i < count; i++)
            {
                if (nvml.Handle(i, out var device) == 0)
                    gpus.Add(new Gpu(i.ToString(System.Globalization.CultureInfo.InvariantCulture), nvml.Name(device), device));
            }
        }
        if (gpus.Count == 0)
        {
            reason = "NVML found no GPU: no GPU instruments";
            return null;
        }

        var gpuMeter = new NvmlGpuMeter(nvml, gpus);
        meter.CreateObservableGauge("hw.gpu.utilization", gpuMeter.Utilization, "1", "GPU utilization, 0 to 1");
        meter.CreateObservableGauge("hw.gpu.memory.usage", () => gpuMeter.Memory(used: true), "By", "GPU memory in use");
        meter.CreateObservableGauge("hw.gpu.memory.limit", () => gpuMeter.Memory(used: false), "By", "GPU memory size");
        meter.CreateObservableGauge("hw.temperature", gpuMeter.Temperature, "Cel", "GPU temperature");
        meter.CreateObservableGauge("hw.power", gpuMeter.Power, "W", "GPU power draw");
        reason = $"{gpus.Count} GPU(s) through NVML: {string.Join(", ", gpuMeter.DeviceNames)}";
        return gpuMeter;
    }

    private IEnumerable<Measurement<double>> Utilization() =>
        Read((Gpu gpu, out double value) =>
        {
            var status = _nvml.Utilization(gpu.Device, out var rates);
            value = rates.Gpu / 100.0;
            return status;
        });

    private IEnumerable<Measurement<double>> Memory(bool used) =>
        Read((Gpu gpu, out double value) =>
        {
            var status = _nvml.Memory(gpu.Device, out var memory);
            value = used ? memory.Used : memory.Total;
            return status;
        });

    private IEnumerable<Measurement<double>> Temperature() =>
        Read((Gpu gpu, out double value) =>
        {
            var status = _nvml.Temperature(gpu.Device, out var celsius);
            value = celsius;
            return status;
        });

    private IEnumerable<Measurement<double>> Power() =>
        Read((Gpu gpu, out double value) =>
        {
            var status = _nvml.Power(gpu.Device, out var milliwatts);
            value = milliwatts / 1000.0;
            return status;
        });

    private delegate int Reader(Gpu gpu, out double value);

    private IEnumerable<Measurement<double>> Read(Reader reader)
    {
        foreach (var gpu in _gpus)
        {
            if (reader(gpu, out var value) == 0)
                yield return new Measurement<double>(value, new("hw.id", gpu.Id), new("hw.name", gpu.Name), new("hw.type", "gpu"));
        }
    }

    private sealed record Gpu(string Id, string Name, IntPtr Device);

    [StructLayout(LayoutKind.Sequential)]
    private struct UtilizationRates
    {
        public uint Gpu;
        public uint Memory;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MemoryInfo
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    /// <summary>The handful of NVML entry points we need, bound at run time so nothing fails where NVML is absent.</summary>
    private sealed unsafe class Nvml(IntPtr library)
    {
        private readonly delegate* unmanaged<int> _init = (delegate* unmanaged<int>)Export(library, "nvmlInit_v2");
        private readonly delegate* unmanaged<uint*, int> _count = (delegate* unmanaged<uint*, int>)Export(library, "nvmlDeviceGetCount_v2");
        private readonly delegate* unmanaged<uint, IntPtr*, int> _handle = (delegate* unmanaged<uint, IntPtr*, int>)Export(library, "nvmlDeviceGetHandleByIndex_v2");
        private readonly delegate* unmanaged<IntPtr, byte*, uint, int> _name = (delegate* unmanaged<IntPtr, byte*, uint, int>)Export(library, "nvmlDeviceGetName");
        private readonly delegate* unmanaged<IntPtr, UtilizationRates*, int> _utilization = (delegate* unmanaged<IntPtr, UtilizationRates*, int>)Export(library, "nvmlDeviceGetUtilizationRates");
        private readonly delegate* unmanaged<IntPtr, MemoryInfo*, int> _memory = (delegate* unmanaged<IntPtr, MemoryInfo*, int>)Export(library, "nvmlDeviceGetMemoryInfo");
        private readonly delegate* unmanaged<IntPtr, int, uint*, int> _temperature = (delegate* unmanaged<IntPtr, int, uint*, int>)Export(library, "nvmlDeviceGetTemperature");
        private readonly delegate* unmanaged<IntPtr, uint*, int> _power = (delegate* unmanaged<IntPtr, uint*, int>)Export(library, "nvmlDeviceGetPowerUsage");

        private static IntPtr Export(IntPtr library, string name) =>
            NativeLibrary.TryGetExport(library, name, out var address) ? address : IntPtr.Zero;

        // NVML_ERROR_FUNCTION_NOT_FOUND (13) when the driver lacks an entry point.
        private const int NotFound = 13;

        public int Init() => _init == null ? NotFound : _init();

        public int DeviceCount(out uint count)
        {
            uint value = 0;
            var status = _count == null ? NotFound : _count(&value);
            count = value;
            return status;
        }

        public int Handle(uint index, out IntPtr device)
        {
            IntPtr value = IntPtr.Zero;
            var status = _handle == null ? NotFound : _handle(index, &value);
            device = value;
            return status;
        }

        public string Name(IntPtr device)
        {
            var buffer = stackalloc byte[96];
            if (_name == null || _name(device, buffer, 96) != 0) return "gpu";
            return Encoding.UTF8.GetString(buffer, new ReadOnlySpan<byte>(buffer, 96).IndexOf((byte)0) is var n and >= 0 ? n : 96);
        }

        public int Utilization(IntPtr device, out UtilizationRates rates)
        {
            UtilizationRates value = default;
            var status = _utilization == null ? NotFound : _utilization(device, &value);
            rates = value;
            return status;
        }

        public int Memory(IntPtr device, out MemoryInfo memory)
        {
            MemoryInfo value = default;
            var status = _memory == null ? NotFound : _memory(device, &value);
            memory = value;
            return status;
        }

        public int Temperature(IntPtr device, out uint celsius)
        {
            uint value = 0;
            var status = _temperature == null ? NotFound : _temperature(device, 0, &value); // NVML_TEMPERATURE_GPU
            celsius = value;
            return status;
        }

        public int Power(IntPtr device, out uint milliwatts)
        {
            uint value = 0;
            var status = _power == null ? NotFound : _power(device, &value);
            milliwatts = value;
            return status;
        }
    }
}
