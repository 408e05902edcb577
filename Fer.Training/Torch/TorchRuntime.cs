using System.Runtime.InteropServices;
using TorchSharp;

namespace Fer.Training.Torch;

/// <summary>
/// The one door to libtorch: sets the process environment libtorch needs before it initialises, proves on start-up that
/// convolutions compute correctly on this CPU, and picks the device. Call <see cref="Initialize"/> before any torch call.
/// </summary>
public static partial class TorchRuntime
{
    /// <summary>oneDNN's AVX-512 kernels compute some fp32 3x3 convolutions wrongly on the build machines' CPUs
    /// (environment.md, trap 2); AVX2 kernels are right, and faster there.</summary>
    public const string OneDnnIsaVariable = "ONEDNN_MAX_CPU_ISA";
    public const string OneDnnIsaValue = "AVX2";

    private static readonly Lock Gate = new();
    private static TorchRuntimeInfo? _info;

    public static TorchRuntimeInfo Initialize()
    {
        lock (Gate)
        {
            if (_info is not null) return _info;
            // .NET's Environment.SetEnvironmentVariable does not reach native getenv; libc's setenv does.
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(OneDnnIsaVariable)))
                _ = SetEnv(OneDnnIsaVariable, OneDnnIsaValue, 1);

            var check = ConvolutionSelfCheck.Run();
            if (!check.Passed) throw new InvalidOperationException(check.Explanation);

            var device = torch.cuda.is_available() ? torch.CUDA : torch.CPU;
            if (device.type == DeviceType.CUDA) torch.backends.cuda.matmul.allow_tf32 = true;
            _info = new TorchRuntimeInfo(device, Marshal.PtrToStringUTF8(GetEnv(OneDnnIsaVariable)) ?? "", torch.get_num_threads(), check);
            return _info;
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);
}
