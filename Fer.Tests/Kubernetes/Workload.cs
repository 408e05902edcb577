using k8s.Models;

namespace Fer.Tests.Kubernetes;

/// <summary>A Deployment's or StatefulSet's pod template, with what references it.</summary>
public sealed record Workload(string Name, string Kind, int Replicas, V1LabelSelector Selector, V1PodTemplateSpec Template)
{
    public IDictionary<string, string> Labels => Template.Metadata.Labels;

    public IEnumerable<V1Container> Containers => Template.Spec.Containers.Concat(Template.Spec.InitContainers ?? []);

    public V1Container Container(string name) => Template.Spec.Containers.Single(container => container.Name == name);

    /// <summary>True when <paramref name="selector"/> selects this workload's pods.</summary>
    public bool IsSelectedBy(V1LabelSelector selector) => LabelSelection.Matches(selector, Labels);
}
