using System.Text.Json.Nodes;

namespace Fer.Tests.Kubernetes;

/// <summary>
/// What <c>kubectl kustomize</c> makes of deploy/kubernetes, resolved here because no kustomize can be relied on where
/// the tests run (Debian's kubectl 1.20 carries kustomize 2.0.3, which predates directories in <c>resources</c> and
/// <c>patches</c>). Only the fields deploy/kubernetes uses: <c>resources</c> (files and folders), <c>namespace</c>,
/// <c>patches</c> (strategic merge, by file) and <c>images</c>; any other field is refused, so that the deployment
/// cannot grow a kustomize feature this reading would silently skip. Where a newer kubectl exists, a test compares.
/// </summary>
public static class Kustomization
{
    private static readonly HashSet<string> Fields = ["resources", "namespace", "patches", "images"];

    /// <summary>Kinds that live outside any namespace (of those deploy/kubernetes has).</summary>
    private static readonly HashSet<string> ClusterScoped = ["Namespace"];

    public static IReadOnlyList<JsonObject> Build(string directory)
    {
        var file = Path.Combine(directory, "kustomization.yaml");
        var kustomization = YamlJson.LoadAll(File.ReadAllText(file)).Single();
        if (kustomization.Select(field => field.Key).FirstOrDefault(field => !Fields.Contains(field)) is { } unknown)
            throw new NotSupportedException($"{file}: '{unknown}' is not read by this resolver (it reads {string.Join(", ", Fields)})");

        var objects = new List<JsonObject>();
        foreach (var resource in Strings(kustomization["resources"]))
        {
            var path = Path.GetFullPath(Path.Combine(directory, resource));
            objects.AddRange(Directory.Exists(path) ? Build(path) : YamlJson.LoadAll(File.ReadAllText(path)));
        }
        foreach (var patch in (kustomization["patches"] as JsonArray ?? []).Cast<JsonObject>())
            ApplyPatch(objects, Path.Combine(directory, patch["path"]!.GetValue<string>()));
        foreach (var image in (kustomization["images"] as JsonArray ?? []).Cast<JsonObject>())
            SetImage(objects, image);
        if (kustomization["namespace"]?.GetValue<string>() is { } space)
            foreach (var item in objects.Where(item => !ClusterScoped.Contains(Kind(item))))
                ((JsonObject)item["metadata"]!)["namespace"] = space;
        return objects;
    }

    public static string Kind(JsonObject item) => item["kind"]!.GetValue<string>();

    public static string Name(JsonObject item) => item["metadata"]!["name"]!.GetValue<string>();

    private static IEnumerable<string> Strings(JsonNode? list) => (list as JsonArray ?? []).Select(item => item!.GetValue<string>());

    private static void ApplyPatch(List<JsonObject> objects, string path)
    {
        foreach (var patch in YamlJson.LoadAll(File.ReadAllText(path)))
        {
            var target = objects.SingleOrDefault(item => Kind(item) == Kind(patch) && Name(item) == Name(patch))
                ?? throw new InvalidOperationException($"{path}: no {Kind(patch)} {Name(patch)} to patch");
            StrategicMerge.Apply(target, patch);
        }
    }

    /// <summary>kustomize's image transformer: <c>name</c> matches an image without its tag; newName and newTag replace.</summary>
    private static void SetImage(List<JsonObject> objects, JsonObject image)
    {
        var name = image["name"]!.GetValue<string>();
        foreach (var container in objects.SelectMany(Containers))
        {
            var current = container["image"]!.GetValue<string>();
            var (repository, tag) = SplitImage(current);
            if (repository != name) continue;
            container["image"] = $"{image["newName"]?.GetValue<string>() ?? repository}:{image["newTag"]?.GetValue<string>() ?? tag}";
        }
    }

    public static (string Repository, string? Tag) SplitImage(string image)
    {
        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? (image[..colon], image[(colon + 1)..]) : (image, null);
    }

    private static IEnumerable<JsonObject> Containers(JsonObject item) =>
        item["spec"]?["template"]?["spec"]?["containers"] is JsonArray containers ? containers.Cast<JsonObject>() : [];
}
