using System.Text.RegularExpressions;

namespace Fer.AppHost.Hosting;

/// <summary>Resource names become environment-variable segments (services__name__http__0), so they stay simple.</summary>
public static partial class ResourceNames
{
    public static void Validate(string name)
    {
        if (!Pattern().IsMatch(name))
            throw new ArgumentException($"resource name '{name}' must be lower-case letters, digits and '-', starting with a letter", nameof(name));
    }

    /// <summary>The replica's own name, used as its service.instance.id: "inference-0".</summary>
    public static string Replica(string resource, int index) => $"{resource}-{index}";

    [GeneratedRegex("^[a-z][a-z0-9-]{0,62}$")]
    private static partial Regex Pattern();
}
