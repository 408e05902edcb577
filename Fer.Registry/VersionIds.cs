using System.Globalization;

namespace Fer.Registry;

/// <summary>
/// Version ids are "v" and a counter from INCR, zero-padded to four digits ("v0001"), so that they sort as text up to
/// v9999 and stay short; beyond that they grow ("v10000") and only <see cref="Compare"/> (or the index) orders them.
/// </summary>
public static class VersionIds
{
    public static string Format(long number) => "v" + number.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>Accepts only the canonical form ("v0007", not "v07" or "v00007").</summary>
    public static bool TryParse(string? version, out long number)
    {
        number = 0;
        return version is { Length: >= 5 } && version[0] == 'v' && version.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0
            && long.TryParse(version.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out number) && number > 0
            && Format(number) == version;
    }

    public static bool IsValid(string? version) => TryParse(version, out _);

    /// <summary>Orders ids by their number; ids that are not version ids sort first, by text.</summary>
    public static int Compare(string? left, string? right)
    {
        var leftOk = TryParse(left, out var l);
        var rightOk = TryParse(right, out var r);
        return (leftOk, rightOk) switch
        {
            (true, true) => l.CompareTo(r),
            (false, false) => string.CompareOrdinal(left, right),
            (true, false) => 1,
            _ => -1,
        };
    }
}
