using System.Text.RegularExpressions;
using k8s.Models;

namespace Fer.Tests.Kubernetes.MultiHost;

/// <summary>
/// What a container of the deployment is given, as the kubelet gives it: its ConfigMaps (envFrom), then its env in
/// order (values with $(NAME) expanded from the variables before them, Secret keys, the pod's name), and its arguments
/// expanded alike; a path on one of its volumes becomes that volume's folder on this machine.
/// </summary>
public sealed partial class PodEnvironment
{
    private readonly IReadOnlyList<(string MountPath, string Folder)> volumes;

    public PodEnvironment(KubernetesDeployment deployment, V1Container container, string podName,
        IReadOnlyDictionary<string, string> secrets, IReadOnlyDictionary<string, string> volumeFolders)
    {
        volumes = (container.VolumeMounts ?? []).OrderByDescending(mount => mount.MountPath.Length)
            .Select(mount => (mount.MountPath, volumeFolders.TryGetValue(mount.Name, out var folder) ? folder
                : throw new InvalidOperationException($"{container.Name}: no folder for volume {mount.Name}")))
            .ToList();
        foreach (var source in container.EnvFrom ?? [])
            foreach (var (key, value) in deployment.Get<V1ConfigMap>(source.ConfigMapRef.Name).Data)
                Variables[key] = value;
        foreach (var variable in container.Env ?? [])
        {
            Variables[variable.Name] = OnThisMachine(variable.ValueFrom switch
            {
                null => Expand(variable.Value ?? ""),
                { SecretKeyRef: { } key } => secrets[key.Key],
                { FieldRef.FieldPath: "metadata.name" } => podName,
                _ => throw new NotSupportedException($"{container.Name}: {variable.Name} comes from where this run does not know"),
            });
        }
        Arguments = (container.Command ?? []).Concat(container.Args ?? []).Select(argument => OnThisMachine(Expand(argument))).ToList();
    }

    public Dictionary<string, string> Variables { get; } = [];

    /// <summary>The container's command and arguments.</summary>
    public IReadOnlyList<string> Arguments { get; }

    private string Expand(string value) =>
        Reference().Replace(value, match => Variables.TryGetValue(match.Groups[1].Value, out var known) ? known : match.Value);

    private string OnThisMachine(string value)
    {
        foreach (var (mountPath, folder) in volumes)
            if (value == mountPath || value.StartsWith(mountPath + "/", StringComparison.Ordinal))
                return folder + value[mountPath.Length..];
        return value;
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();
}
