using System.Numerics;
using System.Runtime.InteropServices;

namespace Fer.Inference.Batching;

/// <summary>Binds the calling thread to one of the cores this process may use (Linux <c>sched_setaffinity</c>; in a
/// container with a cpuset, one of its cores); elsewhere it does nothing.</summary>
public static partial class CorePinning
{
    /// <summary>Pins the calling thread to the <paramref name="lane"/>-th allowed core, counting round; false where the
    /// platform or the kernel refuses (also on a machine of more than 64 possible cores: the mask read is one word).</summary>
    public static bool PinCurrentThread(int lane)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lane);
        if (!OperatingSystem.IsLinux()) return false;
        ulong allowed = 0;
        if (SchedGetAffinity(0, sizeof(ulong), ref allowed) != 0 || allowed == 0) return false; // pid 0: this thread
        var skip = lane % BitOperations.PopCount(allowed);
        for (var i = 0; i < skip; i++) allowed &= allowed - 1; // drop the lowest allowed core
        var mask = allowed & (ulong)-(long)allowed; // the lowest one left
        return SchedSetAffinity(0, sizeof(ulong), ref mask) == 0;
    }

    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static partial int SchedGetAffinity(int pid, nint maskSize, ref ulong mask);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nint maskSize, ref ulong mask);
}
