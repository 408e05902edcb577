using System.Text.Json;
using Fer.AppHost.Hosting;
using Fer.AppHost.Redis;
using Fer.Tests.AppHost;
using Fer.Tests.Infrastructure;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using HealthPaths = Microsoft.Extensions.Hosting.Extensions;

namespace Fer.Tests.Kubernetes;

/// <summary>
/// One source of truth: deploy/kubernetes is kept by hand, and held here to the Aspire manifest the AppHost writes, so
/// a setting changed in the AppHost (a variable, a port, a secret, Redis's image or persistence) fails until the
/// deployment follows. docs/kubernetes.md says why by hand rather than generated.
/// </summary>
[Trait("Category", "Slow")]
[Collection(AppHostSystemCollection.Name)]
public sealed class DeploymentFollowsAppHostTests(PublishedAppHost published) : IClassFixture<PublishedAppHost>
{
    /// <summary>What the deployment sets beyond the manifest: the pod's name and the telemetry the AppHost gives at run
    /// time (OTEL_*: the manifest leaves them to the deployment); and, scaled up, the gateway's further replicas.</summary>
    private static readonly HashSet<string> DeploymentOnly = ["POD_NAME", "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES"];

    public static TheoryData<string> Overlays => new(KubernetesDeployment.Overlays);

    [Theory]
    [MemberData(nameof(Overlays))]
    public void EveryVariableTheAppHostSets_IsSetAlike_AndTheDeploymentSetsNoOther(string overlay)
    {
        var model = new AppHostToKubernetes(published.Resources, KubernetesDeployment.Overlay(overlay));
        foreach (var resource in model.Services)
        {
            var (workload, container) = model.Runs(resource);
            var env = (container.Env ?? []).ToDictionary(variable => variable.Name);
            var manifestEnv = model.Resources.GetProperty(resource).TryGetProperty("env", out var found) ? found.EnumerateObject().ToList() : [];
            foreach (var variable in manifestEnv)
            {
                var where = $"{resource} ({workload.Name}/{container.Name}): {variable.Name}";
                Assert.True(env.TryGetValue(variable.Name, out var deployed), $"{where} is set by the AppHost, not by the deployment");
                var value = variable.Value.GetString()!;
                if (SecretParameter(model, value) is { } parameter)
                {
                    Assert.True(deployed.ValueFrom?.SecretKeyRef is { Name: KubernetesManifestTests.OperatorSecret } key && key.Key == parameter,
                        $"{where} must come from Secret {KubernetesManifestTests.OperatorSecret}, key {parameter}");
                }
                else if (Path.IsPathRooted(value))
                {
                    // A path of this machine: in the pod, a path on one of its volumes.
                    Assert.True(deployed.Value is { } path && (container.VolumeMounts ?? []).Any(mount => path.StartsWith(mount.MountPath, StringComparison.Ordinal)),
                        $"{where} = {deployed.Value} is not on a volume of the pod");
                }
                else
                {
                    Assert.True(model.Expected(value, container) == deployed.Value, $"{where}: the AppHost says '{value}', i.e. '{model.Expected(value, container)}'; the deployment '{deployed.Value}'");
                }
            }
            var expectedNames = manifestEnv.Select(variable => variable.Name).ToHashSet();
            foreach (var extra in env.Keys.Where(name => !expectedNames.Contains(name) && !DeploymentOnly.Contains(name)))
                Assert.True(IsFurtherReplica(model, resource, extra, env[extra].Value), $"{resource}: the deployment sets {extra}, which the AppHost does not");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void EveryPortAndHealthPath_IsTheAppHosts(string overlay)
    {
        var model = new AppHostToKubernetes(published.Resources, KubernetesDeployment.Overlay(overlay));
        foreach (var resource in model.Services)
        {
            var manifest = model.Resources.GetProperty(resource);
            foreach (var binding in manifest.GetProperty("bindings").EnumerateObject())
            {
                var port = model.ContainerPort(resource, binding.Name);
                // Without a target port the deployment picks one (8080, .NET's container port); HTTP_PORTS then says it.
                if (binding.Value.TryGetProperty("targetPort", out var target))
                    Assert.True(target.GetInt32() == port.ContainerPort, $"{resource}: the AppHost binds {binding.Name} to {target.GetInt32()}, the deployment to {port.ContainerPort}");
            }
            if (!manifest.GetProperty("type").GetString()!.StartsWith("project.")) continue;
            var (_, container) = model.Runs(resource);
            Assert.Equal(HealthPaths.HealthEndpointPath, container.ReadinessProbe.HttpGet.Path);
            Assert.Equal(HealthPaths.AlivenessEndpointPath, container.LivenessProbe.HttpGet.Path);
            Assert.Equal("http", container.ReadinessProbe.HttpGet.Port.Value);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void EverySecretParameter_IsAKeyOfTheOperatorsSecret_AndNoSecretValueIsInTheDeployment(string overlay)
    {
        var deployment = KubernetesDeployment.Overlay(overlay);
        var model = new AppHostToKubernetes(published.Resources, deployment);
        var secretParameters = model.Resources.EnumerateObject().Select(resource => resource.Name).Where(model.IsSecretParameter).Order().ToList();
        var keys = deployment.Workloads.SelectMany(workload => workload.Containers).SelectMany(container => container.Env ?? [])
            .Select(variable => variable.ValueFrom?.SecretKeyRef).OfType<V1SecretKeySelector>()
            .Where(key => key.Name == KubernetesManifestTests.OperatorSecret).Select(key => key.Key).Distinct().Order().ToList();

        Assert.Equal(["admin-key", "redis-password"], secretParameters);
        Assert.Equal(secretParameters, keys);
        Assert.Empty(deployment.All<V1Secret>()); // the operator creates it: no secret value is kept in git
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Redis_RunsTheAppHostsImage_WithTheLocalRedisPersistenceAndMemoryCap(string overlay)
    {
        var model = new AppHostToKubernetes(published.Resources, KubernetesDeployment.Overlay(overlay));
        var manifest = model.Resources.GetProperty(RedisResourceExtensions.ConnectionName);
        var (_, redis) = model.Runs(RedisResourceExtensions.ConnectionName);
        Assert.Equal(manifest.GetProperty("image").GetString(), redis.Image);

        var arguments = Options(redis.Args);
        // The manifest's container runs "redis-server --requirepass $REDIS_PASSWORD --save 60 1" through sh -c.
        var manifestCommand = manifest.GetProperty("args").EnumerateArray().Last().GetString()!.Split(' ');
        var manifestOptions = Options(manifestCommand[1..], joinValues: true);
        Assert.Equal(manifestOptions["--save"], arguments["--save"]);
        Assert.Equal($"$({AppHostToKubernetes.SecretVariable(redis, "redis-password")})", arguments["--requirepass"]);
        // The AppHost's own redis-server: append-only file and the memory cap that refuses writes instead of evicting.
        var settings = FerSettings.From(new ConfigurationBuilder().Build(), Path.Combine(RepositoryPaths.Root, "Fer.AppHost"));
        var local = Options(RedisResourceExtensions.RedisServerArguments("/data", settings.RedisMemoryMegabytes));
        foreach (var option in new[] { "--appendonly", "--appendfsync", "--maxmemory", "--maxmemory-policy", "--dir" })
            Assert.True(local[option] == arguments.GetValueOrDefault(option), $"redis {option}: the AppHost's redis-server has {local[option]}, the deployment {arguments.GetValueOrDefault(option)}");
        foreach (var volume in manifest.GetProperty("volumes").EnumerateArray())
            Assert.Contains(redis.VolumeMounts, mount => mount.MountPath == volume.GetProperty("target").GetString());
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void TheReplicas_AreTheAppHosts_AndTheGatewayListsEachOfThem(string overlay)
    {
        var deployment = KubernetesDeployment.Overlay(overlay);
        var replicas = published.Resources.EnumerateObject().Count(resource => resource.Name.StartsWith("inference-", StringComparison.Ordinal));
        Assert.Equal(replicas, deployment.Workload("inference").Replicas);
        var gatewayReplicas = deployment.Workload("gateway").Container("gateway").Env.Count(variable => variable.Name.StartsWith("services__inference__http__", StringComparison.Ordinal));
        Assert.Equal(deployment.Workload("inference").Replicas, gatewayReplicas);
    }

    private static string? SecretParameter(AppHostToKubernetes model, string value) =>
        value.StartsWith('{') && value.EndsWith(".value}") && value.IndexOf('}') == value.Length - 1
        && value[1..^".value}".Length] is var name && model.IsSecretParameter(name) ? name : null;

    /// <summary>services__inference__http__N beyond the manifest's replicas, in the manifest's own form.</summary>
    private static bool IsFurtherReplica(AppHostToKubernetes model, string resource, string name, string? value)
    {
        const string Prefix = "services__inference__http__";
        if (!name.StartsWith(Prefix, StringComparison.Ordinal) || !int.TryParse(name[Prefix.Length..], out var index)) return false;
        var first = model.Resources.GetProperty(resource).GetProperty("env").GetProperty(Prefix + "0").GetString()!;
        var (_, container) = model.Runs(resource);
        return value == model.Expected(first, container).Replace("inference-0.", $"inference-{index}.", StringComparison.Ordinal);
    }

    /// <summary>--option value pairs; with <paramref name="joinValues"/> (words of a shell line) every word up to the
    /// next option is the value ("--save 60 1").</summary>
    private static Dictionary<string, string> Options(IEnumerable<string> arguments, bool joinValues = false)
    {
        var options = new Dictionary<string, string>();
        string? option = null;
        foreach (var argument in arguments)
        {
            if (argument.StartsWith("--", StringComparison.Ordinal)) options[option = argument] = "";
            else if (option is not null) options[option] = options[option].Length == 0 ? argument : $"{options[option]} {argument}";
            if (!joinValues && !argument.StartsWith("--", StringComparison.Ordinal)) option = null;
        }
        return options;
    }
}
