namespace Fer.AppHost.Hosting;

/// <summary>A .NET service run as `dotnet &lt;dll&gt;`, with HTTP on ASPNETCORE_URLS and /health.</summary>
public sealed class ProjectResource(string name, IProjectMetadata project) : Resource(name)
{
    public IProjectMetadata Project { get; } = project;

    public override string Kind => "project";
}
