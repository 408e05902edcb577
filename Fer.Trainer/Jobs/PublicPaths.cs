using System.Text.RegularExpressions;
using Fer.Contracts;

namespace Fer.Trainer.Jobs;

/// <summary>
/// What of a server path an open answer may show: a path's last part, and texts with every absolute path cut to its last
/// part (<c>/srv/fer/data/fer2013</c> becomes <c>…/fer2013</c>), so no answer tells a caller how the server's disk is laid
/// out. The trainer's log keeps the full paths for its operator.
/// </summary>
public static partial class PublicPaths
{
    public static string? Name(string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) return path;
        var name = Path.GetFileName(path.TrimEnd('/', '\\'));
        return name.Length > 0 ? name : path;
    }

    /// <summary>A metrics document with its model file and data named, not placed.</summary>
    public static ModelMetrics Of(ModelMetrics metrics) => metrics with { Model = Name(metrics.Model), Data = Name(metrics.Data) };

    public static string? Redact(string? text) =>
        text is null ? null : AbsolutePath().Replace(text, match => "…/" + match.Groups["last"].Value);

    // A slash that starts a token (after a space, a quote, a bracket, a comma, "=" or at the start): an absolute path,
    // never a relative one, a unit, a pattern or a URL ("train/<class>/*.jpg", "img/s", "http://host/x").
    [GeneratedRegex(@"(?<=^|[\s'""(\[,;=])/(?:[^\s/'""(),;]+/)*(?<last>[^\s/'""(),;]+)")]
    private static partial Regex AbsolutePath();
}
