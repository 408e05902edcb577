using System.Text.RegularExpressions;

namespace Fer.Tests.Infrastructure;

/// <summary>Reads options-validation failures the way an operator does: which configuration keys they name.</summary>
public static class OptionsFailures
{
    /// <summary>The distinct keys of <paramref name="section"/> (e.g. <c>Inference:Batching:</c>) the failures name, sorted.</summary>
    public static List<string> NamedKeys(IEnumerable<string> failures, string section) =>
        failures.SelectMany(f => Regex.Matches(f, Regex.Escape(section) + @"\w+")).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal).ToList();
}
