using System.Reflection;

namespace Fer.AppHost.Hosting;

/// <summary>
/// Where the build put each service the AppHost runs. The AppHost's project references record it as assembly metadata
/// (key: the service's project file, value: its built assembly), see Fer.AppHost.csproj.
/// </summary>
public static class ServiceBuildOutputs
{
    public const string MetadataPrefix = "Fer.ServiceOutput:";

    /// <summary>The built program (the native launcher beside the assembly) of the project at
    /// <paramref name="projectPath"/>, or null when the build recorded none or it is not there.</summary>
    public static string? Program(string projectPath)
    {
        var project = Path.GetFullPath(projectPath);
        var assembly = typeof(ServiceBuildOutputs).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key.StartsWith(MetadataPrefix, StringComparison.Ordinal)
                && string.Equals(Path.GetFullPath(attribute.Key[MetadataPrefix.Length..]), project, StringComparison.Ordinal))?.Value;
        if (assembly is null) return null;
        var program = Path.ChangeExtension(assembly, null);
        return File.Exists(program) ? program : null;
    }
}
