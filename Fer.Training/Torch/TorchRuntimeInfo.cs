using TorchSharp;

namespace Fer.Training.Torch;

/// <summary>What <see cref="TorchRuntime.Initialize"/> found: the device in use, oneDNN's ISA cap, threads, the self-check.</summary>
public sealed record TorchRuntimeInfo(torch.Device Device, string OneDnnMaxIsa, int Threads, ConvolutionCheckResult SelfCheck)
{
    public string Describe() =>
        $"device {Device.type}{(Device.type == DeviceType.CUDA ? $" ({torch.cuda.device_count()} GPU(s))" : "")}, " +
        $"{Threads} threads, {TorchRuntime.OneDnnIsaVariable}={(OneDnnMaxIsa.Length == 0 ? "(unset)" : OneDnnMaxIsa)}, " +
        $"conv self-check max error {SelfCheck.MaxAbsError:E1}";
}
