namespace Fer.Contracts;

/// <summary>The network families a model can be. Every family takes <see cref="ModelInput.FerCrops"/> and outputs
/// <see cref="EmotionLabels"/> in order, so serving needs nothing family-specific.</summary>
public static class ModelFamilies
{
    /// <summary>EfficientNetV2-S (torchvision layout) with the seed's head, resizing the crop to a backbone size S.</summary>
    public const string EfficientNetV2S = "efficientnet_v2_s";

    public static IReadOnlyList<string> All { get; } = [EfficientNetV2S];

    public static bool IsKnown(string name) => All.Contains(name, StringComparer.Ordinal);
}
