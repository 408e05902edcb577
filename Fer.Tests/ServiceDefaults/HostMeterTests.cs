using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using Fer.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;

namespace Fer.Tests.ServiceDefaults;

public sealed class HostMeterTests
{
    [Fact]
    public void HostMeter_ReportsProcessAndMachineMemoryAndCpu()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var hostMeter = new HostMeter(services.GetRequiredService<IMeterFactory>(), TimeProvider.System);

        var values = Collect(hostMeter.Meter);

        Assert.True(values["process.memory.usage"].Single() > 10_000_000, "a .NET process uses more than 10 MB");
        Assert.True(values["system.memory.limit"].Single() >= values["system.memory.usage"].Single());
        Assert.InRange(values["process.cpu.utilization"].Single(), 0, 1);
    }

    [Fact]
    public void GpuMeter_HasInstrumentsExactlyWhenNvmlIsPresent()
    {
        using var meter = new Meter("Fer.Tests.Gpu." + Guid.NewGuid());
        var driverPresent = NativeLibrary.TryLoad(NvmlGpuMeter.LibraryName, out var handle);
        if (driverPresent) NativeLibrary.Free(handle);

        var gpu = NvmlGpuMeter.TryCreate(meter, out var reason);
        var values = Collect(meter);

        if (!driverPresent)
        {
            Assert.Null(gpu);
            Assert.Contains("no NVIDIA driver", reason, StringComparison.Ordinal);
            Assert.Empty(values);
        }
        else
        {
            Assert.NotNull(gpu);
            Assert.Equal(gpu.DeviceCount, values["hw.gpu.memory.limit"].Count);
            Assert.All(values["hw.gpu.memory.limit"], limit => Assert.True(limit > 1e9));
        }
    }

    [Fact]
    public void GpuMeter_SaysWhyAndCreatesNothing_ForALibraryThatIsNotThere()
    {
        using var meter = new Meter("Fer.Tests.Gpu." + Guid.NewGuid());

        var gpu = NvmlGpuMeter.TryCreate(meter, out var reason, libraryName: "libnvidia-ml-absent.so.1");

        Assert.Null(gpu);
        Assert.Contains("libnvidia-ml-absent.so.1 not found", reason, StringComparison.Ordinal);
        Assert.Empty(Collect(meter));
    }

    private static Dictionary<string, List<double>> Collect(Meter meter)
    {
        var values = new ConcurrentDictionary<string, List<double>>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == meter) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => values.GetOrAdd(instrument.Name, _ => []).Add(value));
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => values.GetOrAdd(instrument.Name, _ => []).Add(value));
        listener.Start();
        listener.RecordObservableInstruments();
        return new Dictionary<string, List<double>>(values);
    }
}
