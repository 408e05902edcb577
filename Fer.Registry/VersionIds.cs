using System.Globalization;
using System.Security.Cryptography;

namespace Fer.Registry;

/// <summary>
/// Version ids are "v", a counter zero-padded to four digits, "-" and the registry's generation ("v0007-k3x7qa"): the
/// counter keeps them short and in publish order, the generation keeps them unique when the registry loses its data
/// (its counter would start again at 1, under a new generation). Beyond v9999 the counter grows ("v10000-...") and only
/// <see cref="Compare"/> (or the index) orders them.
/// </summary>
public static class VersionIds
{
    /// <summary>A generation is six characters of the lower-case base-32 alphabet: 30 random bits.</summary>
    public const int GenerationLength = 6;

    private const string GenerationAlphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string Format(long number, string generation) =>
        "v" + number.ToString("D4", CultureInfo.InvariantCulture) + "-" + generation;

    /// <summary>A fresh random generation, drawn when a registry (or what is left of one) has none.</summary>
    public static string NewGeneration() => RandomNumberGenerator.GetString(GenerationAlphabet, GenerationLength);

    public static bool IsGeneration(string? text) =>
        text is { Length: GenerationLength } && text.AsSpan().IndexOfAnyExcept(GenerationAlphabet) < 0;

    /// <summary>Accepts only the canonical form ("v0007-k3x7qa", not "v7-k3x7qa" or "v0007").</summary>
    public static bool TryParse(string? version, out long number, out string generation)
    {
        number = 0;
        generation = "";
        var dash = version?.IndexOf('-') ?? -1;
        if (version is null || dash < 5 || version[0] != 'v') return false;
        var digits = version.AsSpan(1, dash - 1);
        if (digits.IndexOfAnyExceptInRange('0', '9') >= 0
            || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number <= 0) return false;
        generation = version[(dash + 1)..];
        return IsGeneration(generation) && Format(number, generation) == version;
    }

    public static bool IsValid(string? version) => TryParse(version, out _, out _);

    /// <summary>Orders ids by their number, then generation; ids that are not version ids sort first, by text.</summary>
    public static int Compare(string? left, string? right)
    {
        var leftOk = TryParse(left, out var l, out var leftGeneration);
        var rightOk = TryParse(right, out var r, out var rightGeneration);
        return (leftOk, rightOk) switch
        {
            (true, true) => l != r ? l.CompareTo(r) : string.CompareOrdinal(leftGeneration, rightGeneration),
            (false, false) => string.CompareOrdinal(left, right),
            (true, false) => 1,
            _ => -1,
        };
    }
}
