using System.Text.Json;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Fer.Tests.Kubernetes;

/// <summary>
/// How each resource of the Aspire manifest lands in deploy/kubernetes, and what each of the manifest's expressions
/// (<c>{trainer.bindings.http.url}</c>, <c>{redis.connectionString}</c>, <c>{admin-key.value}</c>) becomes there:
/// resource R runs as workload R (replica i of inference as pod i of the StatefulSet inference), reached through the
/// Service that selects it (inference-i.inference for a StatefulSet's pod); a secret parameter P is key P of the
/// operator's Secret, which a container reads into a variable and other values use as $(VARIABLE).
/// </summary>
public sealed partial class AppHostToKubernetes(JsonElement resources, KubernetesDeployment deployment)
{
    public JsonElement Resources => resources;

    /// <summary>The manifest's services and containers (not parameters, not values).</summary>
    public IEnumerable<string> Services => resources.EnumerateObject()
        .Where(resource => resource.Value.GetProperty("type").GetString() is { } type && (type.StartsWith("project.") || type.StartsWith("container.")))
        .Select(resource => resource.Name);

    public bool IsSecretParameter(string name) =>
        resources.TryGetProperty(name, out var resource) && resource.GetProperty("type").GetString()!.StartsWith("parameter.")
        && resource.GetProperty("inputs").GetProperty("value").TryGetProperty("secret", out var secret) && secret.GetBoolean();

    /// <summary>The workload that runs <paramref name="resource"/> (inference-1: the StatefulSet inference) and its container.</summary>
    public (Workload Workload, V1Container Container) Runs(string resource)
    {
        var workload = deployment.Workloads.SingleOrDefault(item => item.Name == resource) ?? ReplicaOf(resource)
            ?? throw new InvalidOperationException($"the AppHost's resource {resource} runs in no workload of deploy/kubernetes");
        return (workload, workload.Template.Spec.Containers[0]);
    }

    /// <summary>The value the deployment must give where the manifest has <paramref name="value"/>, in <paramref name="container"/>.</summary>
    public string Expected(string value, V1Container container) => Expression().Replace(value, match =>
    {
        var parts = match.Groups[1].Value.Split('.');
        var resource = resources.GetProperty(parts[0]);
        return parts switch
        {
            [var name, "value"] when IsSecretParameter(name) => $"$({SecretVariable(container, name)})",
            [_, "value"] => Expected(resource.GetProperty("value").GetString()!, container), // an annotated string: the filter
                                                                                             // (uri) changes nothing in a URL-safe password (docs/kubernetes.md)
            [_, "connectionString"] => Expected(resource.GetProperty("connectionString").GetString()!, container),
            [var name, "bindings", var binding, var property] => Binding(name, binding, property),
            _ => throw new InvalidOperationException($"no rule for the manifest's expression {match.Value}"),
        };
    });

    /// <summary>The variable of <paramref name="container"/> that holds key <paramref name="parameter"/> of the operator's Secret.</summary>
    public static string SecretVariable(V1Container container, string parameter) =>
        container.Env?.FirstOrDefault(variable => variable.ValueFrom?.SecretKeyRef is { } key
            && key.Name == KubernetesManifestTests.OperatorSecret && key.Key == parameter)?.Name
        ?? throw new InvalidOperationException($"{container.Name} reads no variable from {KubernetesManifestTests.OperatorSecret}/{parameter}");

    /// <summary>The container port that serves <paramref name="binding"/> of <paramref name="resource"/>.</summary>
    public V1ContainerPort ContainerPort(string resource, string binding) =>
        Runs(resource).Container.Ports.SingleOrDefault(port => port.Name == binding)
        ?? throw new InvalidOperationException($"{resource}: no container port named {binding}");

    private string Binding(string resource, string binding, string property)
    {
        var (workload, _) = Runs(resource);
        var service = deployment.All<V1Service>().Single(item => LabelSelection.Matches(item.Spec.Selector, workload.Labels));
        var servicePort = service.Spec.Ports.Single(port => port.Name == binding).Port;
        var host = ReplicaOf(resource) is null ? service.Metadata.Name : $"{resource}.{service.Metadata.Name}";
        var scheme = resources.GetProperty(resource).GetProperty("bindings").GetProperty(binding).GetProperty("scheme").GetString();
        return property switch
        {
            "host" => host,
            "port" => servicePort.ToString(),
            "targetPort" => ContainerPort(resource, binding).ContainerPort.ToString(),
            "scheme" => scheme!,
            "url" => $"{scheme}://{host}:{servicePort}",
            _ => throw new InvalidOperationException($"no rule for {resource}.bindings.{binding}.{property}"),
        };
    }

    /// <summary>inference-1 is pod 1 of the StatefulSet inference, when it has that many.</summary>
    private Workload? ReplicaOf(string resource) =>
        ReplicaName().Match(resource) is { Success: true } match
        && deployment.Workloads.SingleOrDefault(item => item.Kind == "StatefulSet" && item.Name == match.Groups[1].Value) is { } set
        && int.Parse(match.Groups[2].Value) < set.Replicas
            ? set : null;

    [GeneratedRegex(@"\{([^{}]+)\}")]
    private static partial Regex Expression();

    [GeneratedRegex(@"^(.+)-(\d+)$")]
    private static partial Regex ReplicaName();
}
