using System.Runtime.InteropServices;
using Fer.Training.Torch;

namespace Fer.Tests.Trainer.Torch;

public sealed partial class TorchRuntimeTests
{
    [Fact]
    public void Initialize_CapsOneDnnAtAvx2_AndPassesTheConvolutionSelfCheck()
    {
        var info = TorchRuntime.Initialize();

        Assert.True(info.SelfCheck.Passed, info.SelfCheck.Explanation);
        Assert.True(info.SelfCheck.MaxAbsError < 1e-4, $"max abs error {info.SelfCheck.MaxAbsError}");
        // The variable must be visible to native code (getenv), not only to .NET.
        Assert.Equal(TorchRuntime.OneDnnIsaValue, Marshal.PtrToStringUTF8(GetEnv(TorchRuntime.OneDnnIsaVariable)));
        Assert.Equal(TorchRuntime.OneDnnIsaValue, info.OneDnnMaxIsa);
        Assert.Contains("CPU", info.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void SelfCheckResult_ExplainsTheFixWhenItFails()
    {
        var failed = new ConvolutionCheckResult(MaxAbsError: 1.75, Tolerance: 1e-3);

        Assert.False(failed.Passed);
        Assert.Contains("ONEDNN_MAX_CPU_ISA=AVX2", failed.Explanation, StringComparison.Ordinal);
    }

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);
}
