using System.Diagnostics;
using Fer.AppHost.Hosting;
using Microsoft.Extensions.Logging;

namespace Fer.AppHost.Supervision;

/// <summary>
/// `dotnet run --project Fer.AppHost` builds the services with it (project references). Where a service's dll is
/// still missing (the AppHost dll was run on its own), it is built here, once, before anything starts.
/// </summary>
public sealed partial class ProjectBuilds(AppHostOptions options, ILogger<ProjectBuilds> logger)
{
    public async Task EnsureBuiltAsync(IEnumerable<ProjectResource> projects, CancellationToken cancellationToken)
    {
        foreach (var project in projects.Select(p => p.Project).DistinctBy(p => p.ProjectPath))
        {
            if (File.Exists(project.TargetPath)) continue;
            if (!options.BuildMissingProjects)
                throw new FileNotFoundException($"{project.TargetPath} does not exist (build {project.ProjectPath}, or set AppHost:BuildMissingProjects=true)");
            var configuration = new DirectoryInfo(Path.GetDirectoryName(project.TargetPath)!).Parent?.Name ?? "Debug";
            LogBuilding(logger, project.ProjectPath, configuration);
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
            foreach (var argument in new[] { "build", project.ProjectPath, "-c", configuration, "-nologo", "-v", "q" }) start.ArgumentList.Add(argument);
            using var build = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet build");
            await build.WaitForExitAsync(cancellationToken);
            if (build.ExitCode != 0 || !File.Exists(project.TargetPath))
                throw new InvalidOperationException($"dotnet build {project.ProjectPath} failed (exit code {build.ExitCode})");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Building {Project} ({Configuration}): its dll is missing")]
    private static partial void LogBuilding(ILogger logger, string project, string configuration);
}
