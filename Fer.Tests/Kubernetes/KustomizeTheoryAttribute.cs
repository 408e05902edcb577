namespace Fer.Tests.Kubernetes;

/// <summary>A theory that needs kubectl with kustomize 4 or later (directories in <c>resources</c>, <c>patches</c>):
/// skipped, saying so, where there is none (Debian's kubectl 1.20 carries kustomize 2).</summary>
public sealed class KustomizeTheoryAttribute : TheoryAttribute
{
    public KustomizeTheoryAttribute()
    {
        if (Kubectl.KustomizeMajorVersion is not >= 4)
            Skip = $"needs kubectl with kustomize 4 or later to compare with (found: {(Kubectl.KustomizeMajorVersion is { } v ? $"kustomize {v}" : "no kubectl")})";
    }
}
