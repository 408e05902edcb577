using k8s.Models;

namespace Fer.Tests.Kubernetes;

/// <summary>Kubernetes' label selectors: matchLabels, and matchExpressions with In, NotIn, Exists, DoesNotExist.</summary>
public static class LabelSelection
{
    public static bool Matches(IDictionary<string, string>? selector, IDictionary<string, string> labels) =>
        selector is not null && selector.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);

    public static bool Matches(V1LabelSelector selector, IDictionary<string, string> labels) =>
        (selector.MatchLabels ?? new Dictionary<string, string>()).All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value)
        && (selector.MatchExpressions ?? []).All(expression => expression.OperatorProperty switch
        {
            "In" => labels.TryGetValue(expression.Key, out var value) && expression.Values.Contains(value),
            "NotIn" => !labels.TryGetValue(expression.Key, out var value) || !expression.Values.Contains(value),
            "Exists" => labels.ContainsKey(expression.Key),
            "DoesNotExist" => !labels.ContainsKey(expression.Key),
            _ => throw new NotSupportedException($"selector operator {expression.OperatorProperty}"),
        });
}
