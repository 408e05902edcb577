namespace Fer.Contracts;

/// <summary>The names a family goes by in options, the API and the ONNX metadata (<c>backbone</c>).</summary>
public static class ModelFamilies
{
    public const string EfficientNetV2SId = "efficientnet_v2_s";
    public const string Cnn48Id = "cnn48";

    public static IReadOnlyList<string> Ids { get; } = [Cnn48Id, EfficientNetV2SId];

    public static string Id(ModelFamily family) => family switch
    {
        ModelFamily.EfficientNetV2S => EfficientNetV2SId,
        ModelFamily.Cnn48 => Cnn48Id,
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, null),
    };

    public static bool TryParse(string id, out ModelFamily family)
    {
        family = id.ToLowerInvariant() switch
        {
            Cnn48Id => ModelFamily.Cnn48,
            EfficientNetV2SId or "efficientnetv2s" => ModelFamily.EfficientNetV2S,
            _ => (ModelFamily)(-1),
        };
        return Enum.IsDefined(family);
    }

    public static bool IsKnown(string id) => TryParse(id, out _);
}
