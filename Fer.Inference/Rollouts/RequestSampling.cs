using System.Text;

namespace Fer.Inference.Rollouts;

/// <summary>
/// Where a request falls in [0, 1) for a rollout: a 64-bit FNV-1a hash of the rollout's id and the request's id. The
/// same on every replica, in every process and .NET version (string.GetHashCode is randomised per process), so a
/// client that retries with the same <c>X-Request-Id</c> meets the same version, and a share of 0.25 is the quarter
/// of ids below 0.25.
/// </summary>
public static class RequestSampling
{
    private const ulong Offset = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static double Position(string rolloutId, string requestId)
    {
        var hash = Offset;
        hash = Add(hash, rolloutId);
        hash = (hash ^ '\n') * Prime;
        hash = Add(hash, requestId);
        // FNV's low bits mix poorly for short inputs; a final avalanche (splitmix64's) spreads them over all 64.
        hash ^= hash >> 30;
        hash *= 0xBF58476D1CE4E5B9;
        hash ^= hash >> 27;
        hash *= 0x94D049BB133111EB;
        hash ^= hash >> 31;
        return (hash >> 11) * (1.0 / (1UL << 53));
    }

    private static ulong Add(ulong hash, string text)
    {
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(text) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(text, buffer)] : Encoding.UTF8.GetBytes(text);
        foreach (var b in bytes) hash = (hash ^ b) * Prime;
        return hash;
    }
}
