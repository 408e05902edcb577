namespace Fer.AppHost.Hosting;

/// <summary>A .NET project the AppHost runs: generated as Projects.&lt;Name&gt; for every project reference (see the csproj).</summary>
public interface IProjectMetadata
{
    /// <summary>The project file.</summary>
    string ProjectPath { get; }

    /// <summary>The dll the build produces, in the AppHost's own build configuration.</summary>
    string TargetPath { get; }
}
