using Fer.Training.Networks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fer.Training.Weights;

/// <summary>
/// Imports torchvision's ImageNet weights for efficientnet_v2_s into <see cref="FerNet"/>: every <c>features.*</c>
/// tensor into the backbone (all must be there, with the model's shapes), the ImageNet classifier ignored (the head
/// stays as initialised). A file whose SHA-256 is not the official one is imported with a warning.
/// </summary>
public static class TorchvisionWeights
{
    public const string OfficialFileName = "efficientnet_v2_s-dd5fe13b.pth";
    public const string OfficialSha256 = "dd5fe13b1d60ec15317ccc8ca158186e134d3366c3dde9cb9a4e301f2dc66c74";
    public const string BackbonePrefix = "features.";
    public const string ClassifierPrefix = "classifier.";

    public static WeightImportReport ImportBackbone(FerNet model, string path, ILogger? logger = null) =>
        ImportBackbone(model, StateDict.Read(path), logger);

    public static WeightImportReport ImportBackbone(FerNet model, StateDict weights, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        var foreign = weights.Keys.Where(k => !k.StartsWith(BackbonePrefix, StringComparison.Ordinal) && !k.StartsWith(ClassifierPrefix, StringComparison.Ordinal)).ToList();
        if (foreign.Count > 0)
            throw new WeightFileException($"{weights.Source}: {foreign.Count} unexpected key(s) outside features.* and classifier.*: "
                + $"{StateDictLoader.List(foreign)} (is this a torchvision efficientnet_v2_s state_dict?)");
        if (!weights.Keys.Any(k => k.StartsWith(BackbonePrefix, StringComparison.Ordinal)))
            throw new WeightFileException($"{weights.Source}: no features.* tensors, so no backbone to import");

        var result = StateDictLoader.Load(model, weights, BackbonePrefix, BackbonePrefix);

        var warnings = new List<string>();
        var official = string.Equals(weights.Sha256, OfficialSha256, StringComparison.OrdinalIgnoreCase);
        if (!official)
        {
            warnings.Add($"SHA-256 {weights.Sha256} is not the official {OfficialFileName} ({OfficialSha256})");
            WeightLog.UnofficialWeights(logger, weights.Source, weights.Sha256, OfficialSha256);
        }
        var ignored = weights.Keys.Where(k => k.StartsWith(ClassifierPrefix, StringComparison.Ordinal)).ToList();
        WeightLog.Imported(logger, result.Loaded.Count, result.LoadedValues, weights.Source, weights.Format, ignored.Count);
        return new WeightImportReport(weights.Source, weights.Format, weights.Sha256, official, result.Loaded.Count, result.LoadedValues, ignored, warnings);
    }
}
