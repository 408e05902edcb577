using System.Globalization;
using Aspire.Hosting.ApplicationModel;

namespace Fer.AppHost.Hosting;

public static class ServiceResourceExtensions
{
    /// <summary>The registry's retention, the same number the local Redis is sized for.</summary>
    public static IResourceBuilder<T> WithRegistrySettings<T>(this IResourceBuilder<T> service, FerSettings settings)
        where T : IResourceWithEnvironment =>
        service.WithEnvironment("Registry__RetainVersions", settings.RetainVersions.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// A deployment (publish) runs replicas as build/ReplicaRuntime.props tunes them for serving: no tiering, and
    /// DOTNET_ReadyToRun=0 so that the JIT compiles the framework's hot paths fully optimised too. A local run starts
    /// them with .NET's defaults instead (ReadyToRun code, tiering on), which costs a replica about a third of the CPU
    /// time to come up, on the two cores everything starts on at once (docs/benchmarks.md).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithReplicaRuntime(this IResourceBuilder<ProjectResource> replica) =>
        replica.ApplicationBuilder.ExecutionContext.IsPublishMode
            ? replica.WithEnvironment("DOTNET_ReadyToRun", "0")
            : replica.WithEnvironment("DOTNET_TieredCompilation", "1");

    /// <summary>Every service gets <c>Fer__TracePlumbing</c> when <see cref="FerSettings.TracePlumbing"/> is on.</summary>
    public static void PassTracePlumbing(this IDistributedApplicationBuilder builder, FerSettings settings)
    {
        if (!settings.TracePlumbing) return;
        foreach (var project in builder.Resources.OfType<ProjectResource>())
            project.Annotations.Add(new EnvironmentCallbackAnnotation(variables => variables["Fer__TracePlumbing"] = "true"));
    }

    /// <summary>
    /// When running, starts the service's built program itself (in its project folder, as <c>dotnet run</c> would)
    /// instead of the <c>dotnet run --no-build</c> host Aspire otherwise keeps beside every service. It stays a project
    /// resource: the dashboard shows it as one, and publishing writes it into the manifest as a project.
    /// </summary>
    public static IResourceBuilder<ProjectResource> RunBuiltProgram(this IResourceBuilder<ProjectResource> project)
    {
        if (!project.ApplicationBuilder.ExecutionContext.IsRunMode) return project;
        var projectPath = project.Resource.GetProjectMetadata().ProjectPath;
        // A build that did not record the output (or removed it) leaves Aspire's own `dotnet run`.
        if (ServiceBuildOutputs.Program(projectPath) is not { } program) return project;
        return project.WithAnnotation(new ExecutableAnnotation
        {
            Command = program,
            WorkingDirectory = Path.GetDirectoryName(projectPath)!,
        }, ResourceAnnotationMutationBehavior.Replace);
    }
}
