using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s.Models;
using Xunit.Abstractions;

namespace Fer.Tests.Kubernetes;

/// <summary>deploy/kubernetes checked offline: every object strictly typed against the Kubernetes API's models, and
/// every reference between objects resolved (no cluster can run here: docs/kubernetes.md).</summary>
public sealed partial class KubernetesManifestTests(ITestOutputHelper output)
{
    /// <summary>The Secret the operator creates (never in git); its keys are checked against the AppHost's secret
    /// parameters in <see cref="DeploymentFollowsAppHostTests"/>.</summary>
    public const string OperatorSecret = "fer-secrets";

    public static TheoryData<string> Overlays => new(KubernetesDeployment.Overlays);

    [Theory]
    [MemberData(nameof(Overlays))]
    public void EveryObject_ReadsStrictly_IntoTheApisTypedModels(string overlay)
    {
        var deployment = KubernetesDeployment.Overlay(overlay);

        Assert.Equal(deployment.Documents.Count, deployment.Objects.Count);
        Assert.All(deployment.Objects, item => Assert.Equal("fer", item is IMetadata<V1ObjectMeta> { Metadata: var meta } && item is not V1Namespace ? meta.NamespaceProperty : "fer"));
        string[] expected = ["Namespace", "ConfigMap", "Service", "StatefulSet", "PersistentVolumeClaim", "Deployment",
            "PodDisruptionBudget", "Ingress", "NetworkPolicy"];
        Assert.Equal(expected.Order(), deployment.Objects.Select(item => item.Kind).Distinct().Order());
    }

    [Fact]
    public void StrictReading_RefusesAFieldTheApiDoesNotHave()
    {
        var service = KubernetesDeployment.Overlay("cpu").Documents.First(document => Kustomization.Kind(document) == "Service");
        ((JsonObject)service["spec"]!)["selectr"] = new JsonObject { ["app"] = "typo" };

        var error = Assert.ThrowsAny<Exception>(() => k8s.KubernetesYaml.LoadAllFromString(service.ToJsonString(), strict: true));
        Assert.Contains("selectr", error.Message);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void EveryReference_Resolves(string overlay)
    {
        var deployment = KubernetesDeployment.Overlay(overlay);
        var workloads = deployment.Workloads;
        var configMaps = deployment.All<V1ConfigMap>().ToDictionary(item => item.Metadata.Name);
        var secrets = deployment.All<V1Secret>().Select(item => item.Metadata.Name).Append(OperatorSecret).ToHashSet();
        var claims = deployment.All<V1PersistentVolumeClaim>().Select(item => item.Metadata.Name).ToHashSet();

        foreach (var workload in workloads)
        {
            var spec = workload.Template.Spec;
            Assert.True(workload.IsSelectedBy(workload.Selector), $"{workload.Name}: its selector does not select its own pods");
            var volumes = (spec.Volumes ?? []).Select(volume => volume.Name).ToHashSet();
            foreach (var claim in (spec.Volumes ?? []).Where(volume => volume.PersistentVolumeClaim is not null))
                Assert.True(claims.Contains(claim.PersistentVolumeClaim.ClaimName), $"{workload.Name}: no PersistentVolumeClaim {claim.PersistentVolumeClaim.ClaimName}");
            if (deployment.All<V1StatefulSet>().SingleOrDefault(set => set.Metadata.Name == workload.Name) is { } statefulSet)
            {
                volumes.UnionWith((statefulSet.Spec.VolumeClaimTemplates ?? []).Select(template => template.Metadata.Name));
                var governing = deployment.Get<V1Service>(statefulSet.Spec.ServiceName);
                Assert.True(governing.Spec.ClusterIP == "None", $"{workload.Name}: its service {governing.Metadata.Name} is not headless");
            }
            foreach (var container in workload.Containers)
            {
                var where = $"{workload.Name}/{container.Name}";
                foreach (var mount in container.VolumeMounts ?? [])
                    Assert.True(volumes.Contains(mount.Name), $"{where}: no volume {mount.Name}");
                foreach (var source in container.EnvFrom ?? [])
                    Assert.True(configMaps.ContainsKey(source.ConfigMapRef.Name), $"{where}: no ConfigMap {source.ConfigMapRef.Name}");
                foreach (var variable in container.Env ?? [])
                {
                    if (variable.ValueFrom?.SecretKeyRef is { } secret)
                        Assert.True(secrets.Contains(secret.Name), $"{where}: {variable.Name} names Secret {secret.Name}, which nothing creates");
                    if (variable.ValueFrom?.ConfigMapKeyRef is { } key)
                        Assert.True(configMaps.TryGetValue(key.Name, out var map) && map.Data.ContainsKey(key.Key), $"{where}: no ConfigMap key {key.Name}/{key.Key}");
                }
                AssertVariablesDefinedBeforeUse(where, container, configMaps);
                var ports = (container.Ports ?? []).Select(port => port.Name).ToHashSet();
                foreach (var probe in new[] { container.ReadinessProbe, container.LivenessProbe, container.StartupProbe })
                    if ((probe?.HttpGet?.Port ?? probe?.TcpSocket?.Port) is { } port && !int.TryParse(port.Value, out _))
                        Assert.True(ports.Contains(port.Value), $"{where}: a probe names port {port.Value}, which the container does not have");
            }
        }

        foreach (var service in deployment.All<V1Service>())
        {
            var selected = workloads.Where(workload => LabelSelection.Matches(service.Spec.Selector, workload.Labels)).ToList();
            Assert.True(selected.Count > 0, $"Service {service.Metadata.Name} selects no pods");
            foreach (var port in service.Spec.Ports)
                Assert.True(selected.All(workload => HasPort(workload, port.TargetPort?.Value ?? port.Port.ToString())),
                    $"Service {service.Metadata.Name}: target port {port.TargetPort?.Value} is not a port of the pods it selects");
        }
        foreach (var ingress in deployment.All<V1Ingress>())
            foreach (var backend in ingress.Spec.Rules.SelectMany(rule => rule.Http.Paths).Select(path => path.Backend.Service))
                Assert.Contains(deployment.Get<V1Service>(backend.Name).Spec.Ports, port => port.Name == backend.Port.Name || port.Port == backend.Port.Number);
        foreach (var budget in deployment.All<V1PodDisruptionBudget>())
            Assert.True(workloads.Any(workload => workload.IsSelectedBy(budget.Spec.Selector)), $"PodDisruptionBudget {budget.Metadata.Name} selects no pods");
        foreach (var policy in deployment.All<V1NetworkPolicy>())
        {
            var selected = workloads.Where(workload => workload.IsSelectedBy(policy.Spec.PodSelector)).ToList();
            Assert.True(selected.Count > 0, $"NetworkPolicy {policy.Metadata.Name} selects no pods");
            foreach (var rule in policy.Spec.Ingress ?? [])
            {
                foreach (var peer in rule.FromProperty ?? [])
                    Assert.True(peer.PodSelector is null || workloads.Any(workload => workload.IsSelectedBy(peer.PodSelector)),
                        $"NetworkPolicy {policy.Metadata.Name}: a source selects no pods");
                foreach (var port in rule.Ports ?? [])
                    Assert.True(selected.All(workload => HasPort(workload, port.Port.Value)), $"NetworkPolicy {policy.Metadata.Name}: port {port.Port.Value} is not a port of its pods");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void EveryImage_IsPinned_AndEveryContainer_HasProbesAndMemoryBounds(string overlay)
    {
        foreach (var workload in KubernetesDeployment.Overlay(overlay).Workloads)
        {
            foreach (var container in workload.Containers)
            {
                var (_, tag) = Kustomization.SplitImage(container.Image);
                Assert.True(container.Image.Contains("@sha256:") || (tag is { Length: > 0 } && tag != "latest"), $"{workload.Name}: image {container.Image} is not pinned");
                Assert.NotNull(container.ReadinessProbe);
                Assert.NotNull(container.LivenessProbe);
                Assert.True(container.Resources?.Requests?.ContainsKey("memory") == true && container.Resources.Limits?.ContainsKey("memory") == true,
                    $"{workload.Name}: memory request and limit");
            }
        }
    }

    [Fact]
    public void TheGpuOverlay_GivesTheTrainerOneGpu_OnAGpuNode_AndTheCpuOverlayNone()
    {
        var gpu = KubernetesDeployment.Overlay("gpu").Workload("trainer");
        Assert.Equal("1", gpu.Container("trainer").Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal("true", gpu.Template.Spec.NodeSelector["nvidia.com/gpu.present"]);
        Assert.Contains(gpu.Template.Spec.Tolerations, toleration => toleration.Key == "nvidia.com/gpu");
        // The patch merged into the base's trainer: its environment and volumes are all still there.
        var cpu = KubernetesDeployment.Overlay("cpu").Workload("trainer");
        Assert.Equal(cpu.Container("trainer").Env.Select(variable => variable.Name), gpu.Container("trainer").Env.Select(variable => variable.Name));
        Assert.Equal(cpu.Template.Spec.Volumes.Count, gpu.Template.Spec.Volumes.Count);
        Assert.DoesNotContain(KubernetesDeployment.Overlay("cpu").Workloads.SelectMany(workload => workload.Containers),
            container => container.Resources.Limits?.ContainsKey("nvidia.com/gpu") == true);
    }

    /// <summary>Where a kubectl with kustomize 4 or later is installed, it must read deploy/kubernetes exactly as the
    /// resolver above does; where none is (CI may not have one), the test is skipped, saying so.</summary>
    [KustomizeTheory]
    [MemberData(nameof(Overlays))]
    public void TheResolver_ReadsEachOverlay_AsKubectlKustomizeDoes(string overlay)
    {
        var directory = Path.Combine(KubernetesDeployment.Root, "overlays", overlay);
        var kubectl = YamlJson.LoadAll(Kubectl.Run("kustomize", directory) ?? throw new InvalidOperationException($"kubectl kustomize {directory} failed"));
        var ours = Kustomization.Build(directory);

        static string Key(JsonObject item) => $"{Kustomization.Kind(item)}/{Kustomization.Name(item)}";
        Assert.Equal(ours.Select(Key).Order(), kubectl.Select(Key).Order());
        foreach (var item in ours)
            Assert.True(JsonNode.DeepEquals(item, kubectl.Single(other => Key(other) == Key(item))), $"{Key(item)} differs from kubectl kustomize's");
        output.WriteLine($"compared with kustomize {Kubectl.KustomizeMajorVersion}");
    }

    private static bool HasPort(Workload workload, string port) =>
        workload.Containers.SelectMany(container => container.Ports ?? []).Any(p => p.Name == port || p.ContainerPort.ToString() == port);

    /// <summary>Kubernetes expands $(NAME) in env values, command and args only from variables defined before it.</summary>
    private static void AssertVariablesDefinedBeforeUse(string where, V1Container container, IReadOnlyDictionary<string, V1ConfigMap> configMaps)
    {
        var defined = (container.EnvFrom ?? []).SelectMany(source => configMaps[source.ConfigMapRef.Name].Data.Keys).ToHashSet();
        foreach (var variable in container.Env ?? [])
        {
            foreach (Match use in Reference().Matches(variable.Value ?? ""))
                Assert.True(defined.Contains(use.Groups[1].Value), $"{where}: {variable.Name} uses $({use.Groups[1].Value}) before it is defined");
            defined.Add(variable.Name);
        }
        foreach (var argument in (container.Command ?? []).Concat(container.Args ?? []))
            foreach (Match use in Reference().Matches(argument))
                Assert.True(defined.Contains(use.Groups[1].Value), $"{where}: an argument uses $({use.Groups[1].Value}), which is not defined");
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();

}
