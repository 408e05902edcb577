namespace Fer.Training.Data;

/// <summary>Derives independent, reproducible generator seeds from (seed, epoch, sample) without shared state.</summary>
public static class SeedMix
{
    public static int Of(int seed, int a, int b = 0)
    {
        // SplitMix64 finaliser over the packed inputs: neighbouring inputs give unrelated seeds.
        var z = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)a << 32 ^ (uint)b;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
