using System.Runtime;
using System.Runtime.InteropServices;

namespace Fer.Inference.Prediction;

/// <summary>Hands memory that a burst of requests, or a model swap, freed back to the operating system: one aggressive, compacting
/// collection of the managed heap (the large-object heap included), then, on glibc, <c>malloc_trim</c>, which returns
/// the native heap's free pages (what the image codecs freed) instead of keeping them for later.</summary>
internal static partial class MemoryRelease
{
    public static void AfterBurst()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl has no malloc_trim): the managed heap was still given back.
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
