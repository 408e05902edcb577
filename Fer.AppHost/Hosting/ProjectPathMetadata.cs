namespace Fer.AppHost.Hosting;

/// <summary>A project named by path: its dll is found where `dotnet build -c <paramref name="configuration"/>` puts it.</summary>
public sealed class ProjectPathMetadata(string projectPath, string configuration) : IProjectMetadata
{
    public string ProjectPath { get; } = Path.GetFullPath(projectPath);

    public string TargetPath => Path.Combine(Path.GetDirectoryName(ProjectPath)!, "bin", configuration,
        $"net{Environment.Version.Major}.{Environment.Version.Minor}", Path.GetFileNameWithoutExtension(ProjectPath) + ".dll");
}
