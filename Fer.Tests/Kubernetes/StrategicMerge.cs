using System.Text.Json.Nodes;

namespace Fer.Tests.Kubernetes;

/// <summary>
/// The part of Kubernetes' strategic merge patch that deploy/kubernetes uses: mappings merge key by key, lists of
/// mappings with a <c>name</c> (containers, env, volumes, ports) merge item by name, any other value is replaced.
/// </summary>
public static class StrategicMerge
{
    public static void Apply(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is JsonObject patchObject && target[key] is JsonObject targetObject)
                Apply(targetObject, patchObject);
            else if (value is JsonArray patchList && target[key] is JsonArray targetList && IsNamedList(patchList))
                MergeByName(targetList, patchList);
            else
                target[key] = value?.DeepClone();
        }
    }

    private static bool IsNamedList(JsonArray list) => list.All(item => item is JsonObject { } o && o["name"] is JsonValue);

    private static void MergeByName(JsonArray target, JsonArray patch)
    {
        foreach (var item in patch.Cast<JsonObject>())
        {
            var name = item["name"]!.GetValue<string>();
            if (target.OfType<JsonObject>().FirstOrDefault(existing => existing["name"]?.GetValue<string>() == name) is { } match)
                Apply(match, item);
            else
                target.Add(item.DeepClone());
        }
    }
}
