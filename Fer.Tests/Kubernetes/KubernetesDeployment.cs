using System.Text.Json.Nodes;
using Fer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Fer.Tests.Kubernetes;

/// <summary>One overlay of deploy/kubernetes resolved (<see cref="Kustomization"/>) and every object read strictly into
/// KubernetesClient's typed models: a field the Kubernetes API does not have, or a value of the wrong type, throws.</summary>
public sealed class KubernetesDeployment
{
    public static string Root => Path.Combine(RepositoryPaths.Root, "deploy", "kubernetes");

    public static readonly string[] Overlays = ["cpu", "gpu"];

    private KubernetesDeployment(IReadOnlyList<JsonObject> documents, IReadOnlyList<IKubernetesObject> objects) =>
        (Documents, Objects) = (documents, objects);

    public IReadOnlyList<JsonObject> Documents { get; }

    public IReadOnlyList<IKubernetesObject> Objects { get; }

    public static KubernetesDeployment Overlay(string overlay)
    {
        var documents = Kustomization.Build(Path.Combine(Root, "overlays", overlay));
        var objects = documents.Select(document => Strict(document, overlay)).ToList();
        return new KubernetesDeployment(documents, objects);
    }

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Get<T>(string name) where T : IKubernetesObject<V1ObjectMeta> =>
        All<T>().SingleOrDefault(item => item.Metadata.Name == name) ?? throw new InvalidOperationException($"no {typeof(T).Name} {name}");

    /// <summary>Every pod template, by the name of the workload that owns it.</summary>
    public IReadOnlyList<Workload> Workloads =>
    [
        .. All<V1Deployment>().Select(item => new Workload(item.Metadata.Name, item.Kind, item.Spec.Replicas ?? 1, item.Spec.Selector, item.Spec.Template)),
        .. All<V1StatefulSet>().Select(item => new Workload(item.Metadata.Name, item.Kind, item.Spec.Replicas ?? 1, item.Spec.Selector, item.Spec.Template)),
    ];

    public Workload Workload(string name) => Workloads.SingleOrDefault(item => item.Name == name) ?? throw new InvalidOperationException($"no workload {name}");

    private static IKubernetesObject Strict(JsonObject document, string overlay)
    {
        try
        {
            return (IKubernetesObject)KubernetesYaml.LoadAllFromString(document.ToJsonString(), strict: true).Single();
        }
        catch (Exception exception) when (exception is not InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"overlay {overlay}: {Kustomization.Kind(document)} {Kustomization.Name(document)} is not a valid Kubernetes object: {exception.Message}", exception);
        }
    }
}
