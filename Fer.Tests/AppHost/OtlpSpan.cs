using System.Text.Json;

namespace Fer.Tests.AppHost;

/// <summary>One span as the Aspire dashboard's telemetry API returns it (OTLP JSON), with its service's name.</summary>
public sealed record OtlpSpan(string Service, string Name, int Kind, string TraceId, string SpanId, string? ParentSpanId,
    IReadOnlyDictionary<string, string> Attributes)
{
    public const int ServerKind = 2;
    public const int ClientKind = 3;

    /// <summary>Every span under resourceSpans[].scopeSpans[].spans[], wherever the answer nests resourceSpans.</summary>
    public static IReadOnlyList<OtlpSpan> ReadAll(JsonElement answer)
    {
        var spans = new List<OtlpSpan>();
        foreach (var resource in FindArrays(answer, "resourceSpans").SelectMany(array => array.EnumerateArray()))
        {
            var service = ReadAttributes(resource.GetProperty("resource")).GetValueOrDefault("service.name", "");
            foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                    spans.Add(new OtlpSpan(service, span.GetProperty("name").GetString()!, span.GetProperty("kind").GetInt32(),
                        span.GetProperty("traceId").GetString()!, span.GetProperty("spanId").GetString()!,
                        span.TryGetProperty("parentSpanId", out var parent) && parent.GetString() is { Length: > 0 } p ? p : null,
                        ReadAttributes(span)));
        }
        return spans;
    }

    private static Dictionary<string, string> ReadAttributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, string>();
        if (!owner.TryGetProperty("attributes", out var list)) return attributes;
        foreach (var attribute in list.EnumerateArray())
        {
            var value = attribute.GetProperty("value");
            attributes[attribute.GetProperty("key").GetString()!] = value.EnumerateObject().FirstOrDefault().Value.ToString();
        }
        return attributes;
    }

    private static IEnumerable<JsonElement> FindArrays(JsonElement element, string name)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == name && property.Value.ValueKind == JsonValueKind.Array) yield return property.Value;
                else foreach (var found in FindArrays(property.Value, name)) yield return found;
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                foreach (var found in FindArrays(item, name)) yield return found;
        }
    }
}
