namespace Fer.AppHost.Telemetry;

public static class UnixTime
{
    /// <summary>Nanoseconds since 1970 as milliseconds (what JavaScript's Date takes; exact to well under 1 µs).</summary>
    public static double ToMilliseconds(ulong unixNano) => unixNano / 1_000_000.0;
}
