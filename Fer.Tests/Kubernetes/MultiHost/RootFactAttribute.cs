using System.Runtime.InteropServices;

namespace Fer.Tests.Kubernetes.MultiHost;

/// <summary>A test that makes network namespaces (ip netns), which only root may: skipped, saying so, for anyone else.
/// CI runs as root (.ci/run), so there it always runs.</summary>
public sealed partial class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (GetEffectiveUserId() != 0)
            Skip = "needs root: it makes network namespaces, veth pairs and a bridge (ip netns, ip link) and writes /etc/netns; CI runs it as root";
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
