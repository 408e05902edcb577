using System.Text.Json.Serialization;
using Fer.Contracts;
using Fer.Training.Data;
using Fer.Training.Networks;
using Fer.Training.Onnx;
using Fer.Training.Weights;

namespace Fer.Training.Runs;

/// <summary>
/// Everything a training run is made of, in one place: the defaults (batch 64, seed 42; Cnn48 from scratch without
/// weights, the seed's EfficientNetV2-S transfer recipe with them: AdamW 2e-4 then 2e-5, S = 224), one <see cref="Validate"/>, and the JSON names (camelCase, as written here) that <c>POST /train</c> reads
/// and the CLI's flags follow (<c>imageSize</c> is <c>--image-size</c>). A run folder's <c>state.json</c> holds it too.
/// </summary>
public record TrainingOptions
{
    public const int MinImageSize = 64;
    public const int MaxImageSize = 1024;
    public const int MaxEpochs = 10_000;
    public const int MinBatchSize = 2;
    public const int MaxBatchSize = 4096;

    /// <summary>The defaults: what a run with no settings uses.</summary>
    public static TrainingOptions Defaults { get; } = new();

    /// <summary>An image-folder root (<c>train/</c>, <c>test/</c>) or a FER2013 CSV file. A run needs it; the training
    /// service fills in its configured data when a job names none.</summary>
    [JsonPropertyName("data")]
    public string? DataPath { get; init; }

    /// <summary>The run folder: checkpoints, metrics, plots, report, log, model.onnx. A run needs it; the CLI's default
    /// is <c>runs/YYYYMMDD-HHMMSS</c>, the training service picks one per job.</summary>
    [JsonPropertyName("out")]
    public string? OutputDirectory { get; init; }

    /// <summary>The network family; null: <see cref="ModelFamily.Cnn48"/> without weights, EfficientNetV2-S with them.</summary>
    public ModelFamily? Model { get; init; }

    /// <summary>The family this run trains (<see cref="Model"/>, or the one that fits <see cref="WeightsPath"/>).</summary>
    [JsonIgnore]
    public ModelFamily Family => Model ?? (WeightsPath is null ? ModelFamily.Cnn48 : ModelFamily.EfficientNetV2S);

    /// <summary>Evaluate and export with the mean over each image and its mirror; null: on for Cnn48 (it costs little
    /// there), off for EfficientNetV2-S (it would halve an already slow model's serving rate).</summary>
    [JsonPropertyName("tta")]
    public bool? TestTimeFlip { get; init; }

    [JsonIgnore]
    public bool UsesTestTimeFlip => TestTimeFlip ?? Family == ModelFamily.Cnn48;

    /// <summary>Cnn48's dropout in the head (null: <see cref="Cnn48.DefaultDropout"/>).</summary>
    public double? Dropout { get; init; }

    /// <summary>EfficientNetV2-S's backbone size S (the network resizes the 48x48 crop to it); Cnn48 always sees the
    /// 48 px crop.</summary>
    public int ImageSize { get; init; } = FerNet.DefaultImageSize;

    public int BatchSize { get; init; } = 64;
    public int Seed { get; init; } = 42;

    /// <summary>How the network starts and which parts each phase trains; null: <see cref="TrainingRecipe.Scratch"/>
    /// for Cnn48, <see cref="TrainingRecipe.Transfer"/> for EfficientNetV2-S.</summary>
    public TrainingRecipe? Recipe { get; init; }

    [JsonIgnore]
    public TrainingRecipe EffectiveRecipe => Recipe ?? (Family == ModelFamily.Cnn48 ? TrainingRecipe.Scratch : TrainingRecipe.Transfer);

    /// <summary>torchvision ImageNet weights (<c>efficientnet_v2_s-dd5fe13b.pth</c>) for the backbone.</summary>
    [JsonPropertyName("weights")]
    public string? WeightsPath { get; init; }

    /// <summary>Phase 1's epochs (at most); null: the recipe's (<see cref="RecipeDefaults"/>).</summary>
    [JsonPropertyName("epochs1")]
    public int? PhaseOneEpochs { get; init; }

    /// <summary>Phase 2's epochs (at most); null: the recipe's (<see cref="RecipeDefaults"/>).</summary>
    [JsonPropertyName("epochs2")]
    public int? PhaseTwoEpochs { get; init; }

    /// <summary>Phase 1's learning rate; null: the recipe's (<see cref="RecipeDefaults"/>).</summary>
    [JsonPropertyName("lr1")]
    public double? PhaseOneLearningRate { get; init; }

    /// <summary>Phase 2's learning rate; null: the recipe's (<see cref="RecipeDefaults"/>).</summary>
    [JsonPropertyName("lr2")]
    public double? PhaseTwoLearningRate { get; init; }

    /// <summary>Phase 2 of the transfer recipe trains this many parameter tensors, counted from the end.</summary>
    [JsonPropertyName("phase2Tensors")]
    public int PhaseTwoTrainableTensors { get; init; } = FerNetParameters.SeedPhaseTwoTensors;

    /// <summary>AdamW's decoupled weight decay; null: the recipe's.</summary>
    public double? WeightDecay { get; init; }

    /// <summary>The backbone's stochastic depth: the last block's drop probability (torchvision: 0.2).</summary>
    public double StochasticDepth { get; init; } = FerNet.DefaultStochasticDepth;

    /// <summary>Early stopping: a phase ends after this many epochs without a better validation macro-F1; null: the
    /// recipe's.</summary>
    public int? Patience { get; init; }

    /// <summary>The cosine schedule's floor, as a fraction of the phase's learning rate.</summary>
    [JsonPropertyName("minLrFactor")]
    public double MinLearningRateFactor { get; init; } = 0.01;

    /// <summary>The validation share of train when the data has no validation part.</summary>
    [JsonPropertyName("valFraction")]
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Class-weighted cross-entropy (false: plain).</summary>
    [JsonPropertyName("classWeights")]
    public bool ClassWeightedLoss { get; init; } = true;

    /// <summary>How far the class weights go towards "balanced": each weight is (n / (k n_c))^power, so 1 is balanced and
    /// 0 is plain; null: the recipe's (0.5 for Cnn48: balanced weights give disgust, 1.5 % of FER2013, 9.4x, and cost
    /// accuracy; 1 for EfficientNetV2-S, the seed's).</summary>
    public double? ClassWeightPower { get; init; }

    /// <summary>Cross-entropy label smoothing; null: the recipe's.</summary>
    public double? LabelSmoothing { get; init; }

    [JsonPropertyName("augment")]
    public AugmentationMode Augmentation { get; init; } = AugmentationMode.Auto;

    /// <summary>The ranges of full augmentation.</summary>
    public AugmentationOptions AugmentationSettings { get; init; } = new();

    /// <summary>Full augmentation's shift and scale: uniform ranges, or the face detector's measured framing error.</summary>
    public CropJitter CropJitter { get; init; } = CropJitter.Uniform;

    public FeatureCacheMode FeatureCache { get; init; } = FeatureCacheMode.Auto;

    /// <summary>The most memory the feature caches may take, in MiB (float32, else float16 when that fits).</summary>
    [JsonPropertyName("cacheLimit")]
    public int FeatureCacheLimitMiB { get; init; } = 4096;

    /// <summary>A feedback snapshot (an unpacked GET /feedback/export: <c>{emotion}/*.png</c> and <c>feedback.json</c>)
    /// whose labels join the training data, a held-out part scored on its own; null: none.</summary>
    [JsonPropertyName("feedback")]
    public string? FeedbackPath { get; init; }

    /// <summary>Read at most this many images per class and split (0: all). For quick runs and tests.</summary>
    [JsonPropertyName("maxPerClass")]
    public int MaxImagesPerClass { get; init; }

    /// <summary>Export model.onnx (through the exporter's parity gate) at the end.</summary>
    public bool ExportOnnx { get; init; } = true;

    /// <summary>The parity gate's relative-error tolerance between TorchSharp and ONNX Runtime outputs.</summary>
    [JsonPropertyName("parityTolerance")]
    public double OnnxParityTolerance { get; init; } = OnnxParityGate.DefaultTolerance;

    [JsonIgnore]
    public long FeatureCacheLimitBytes => (long)FeatureCacheLimitMiB << 20;

    /// <summary>The defaults of this family and recipe.</summary>
    [JsonIgnore]
    public RecipeDefaults RecipeDefaults => RecipeDefaults.Of(Family, EffectiveRecipe);

    /// <summary>These options with every default written in (family, recipe, test-time flip, epochs, learning rates,
    /// weight decay, patience, label smoothing, class weighting, Cnn48's dropout), so that a job, a run's state.json and
    /// the registry record the values the run used.</summary>
    public TrainingOptions Resolved()
    {
        var d = RecipeDefaults;
        return this with
        {
            Model = Family,
            Recipe = EffectiveRecipe,
            TestTimeFlip = UsesTestTimeFlip,
            Dropout = Family == ModelFamily.Cnn48 ? Dropout ?? Cnn48.DefaultDropout : Dropout,
            PhaseOneEpochs = PhaseOneEpochs ?? d.PhaseOneEpochs,
            PhaseTwoEpochs = PhaseTwoEpochs ?? d.PhaseTwoEpochs,
            PhaseOneLearningRate = PhaseOneLearningRate ?? d.PhaseOneLearningRate,
            PhaseTwoLearningRate = PhaseTwoLearningRate ?? d.PhaseTwoLearningRate,
            WeightDecay = WeightDecay ?? d.WeightDecay,
            Patience = Patience ?? d.Patience,
            LabelSmoothing = LabelSmoothing ?? d.LabelSmoothing,
            ClassWeightPower = ClassWeightPower ?? d.ClassWeightPower,
        };
    }

    [JsonIgnore]
    public int EffectivePhaseOneEpochs => PhaseOneEpochs ?? RecipeDefaults.PhaseOneEpochs;

    [JsonIgnore]
    public int EffectivePhaseTwoEpochs => PhaseTwoEpochs ?? RecipeDefaults.PhaseTwoEpochs;

    [JsonIgnore]
    public double EffectivePhaseOneLearningRate => PhaseOneLearningRate ?? RecipeDefaults.PhaseOneLearningRate;

    [JsonIgnore]
    public double EffectivePhaseTwoLearningRate => PhaseTwoLearningRate ?? RecipeDefaults.PhaseTwoLearningRate;

    [JsonIgnore]
    public double EffectiveWeightDecay => WeightDecay ?? RecipeDefaults.WeightDecay;

    [JsonIgnore]
    public int EffectivePatience => Patience ?? RecipeDefaults.Patience;

    [JsonIgnore]
    public double EffectiveLabelSmoothing => LabelSmoothing ?? RecipeDefaults.LabelSmoothing;

    /// <summary>0 when the loss is plain (<see cref="ClassWeightedLoss"/> false).</summary>
    [JsonIgnore]
    public double EffectiveClassWeightPower => !ClassWeightedLoss ? 0 : ClassWeightPower ?? RecipeDefaults.ClassWeightPower;

    /// <summary>Every invalid setting, by field; empty when the options can run (given data and a run folder).</summary>
    public IReadOnlyList<OptionError> Validate()
    {
        var errors = new List<OptionError>();
        void Check(bool valid, string field, string problem)
        {
            if (!valid) errors.Add(new OptionError(field, problem));
        }

        Check(DataPath is null || !string.IsNullOrWhiteSpace(DataPath), "data", "must be a path (or left out to use the configured data)");
        Check(OutputDirectory is null || !string.IsNullOrWhiteSpace(OutputDirectory), "out", "must be a path (or left out)");
        Check(Model is null || Enum.IsDefined(Model.Value), "model", $"must be one of {string.Join(", ", ModelFamilies.Ids.Select(f => $"'{f}'"))}");
        Check(Family != ModelFamily.Cnn48 || WeightsPath is null, "weights",
            $"is torchvision's {ModelFamilies.EfficientNetV2SId} file; it does not fit model {ModelFamilies.Cnn48Id}");
        Check(Family != ModelFamily.Cnn48 || EffectiveRecipe != TrainingRecipe.Transfer, "recipe",
            $"transfer needs a pretrained backbone; model {ModelFamilies.Cnn48Id} trains from scratch (recipe scratch)");
        Check(Family != ModelFamily.EfficientNetV2S || EffectiveRecipe != TrainingRecipe.Transfer || !string.IsNullOrWhiteSpace(WeightsPath), "recipe",
            $"transfer trains a head on a frozen backbone, so it needs that backbone's ImageNet weights (torchvision's " +
            $"{TorchvisionWeights.OfficialFileName}); without them use model {ModelFamilies.Cnn48Id} (the default) or recipe scratch");
        Check(Dropout is null or (>= 0 and < 1), "dropout", $"must be in [0, 1) (got {Dropout})");
        Check(ImageSize is >= MinImageSize and <= MaxImageSize && ImageSize % 32 == 0, "imageSize",
            $"must be a multiple of 32 from {MinImageSize} to {MaxImageSize} (got {ImageSize})");
        Check(BatchSize is >= MinBatchSize and <= MaxBatchSize, "batchSize", $"must be from {MinBatchSize} to {MaxBatchSize} (got {BatchSize})");
        Check(Recipe is null || Enum.IsDefined(Recipe.Value), "recipe", "must be 'transfer' or 'scratch'");
        Check(WeightsPath is null || !string.IsNullOrWhiteSpace(WeightsPath), "weights", "must be the path of a weights file (or left out)");
        Check(string.IsNullOrWhiteSpace(WeightsPath) || File.Exists(WeightsPath), "weights", $"no file '{WeightsPath}'");
        Check(PhaseOneEpochs is null or (>= 0 and <= MaxEpochs), "epochs1", $"must be from 0 to {MaxEpochs} (got {PhaseOneEpochs})");
        Check(PhaseTwoEpochs is null or (>= 0 and <= MaxEpochs), "epochs2", $"must be from 0 to {MaxEpochs} (got {PhaseTwoEpochs})");
        Check(EffectivePhaseOneEpochs != 0 || EffectivePhaseTwoEpochs != 0, "epochs1", "and epochs2 must not both be 0");
        Check(PhaseOneLearningRate is null or > 0, "lr1", $"must be positive (got {PhaseOneLearningRate})");
        Check(PhaseTwoLearningRate is null or > 0, "lr2", $"must be positive (got {PhaseTwoLearningRate})");
        Check(PhaseTwoTrainableTensors >= 1, "phase2Tensors", $"must be at least 1 (got {PhaseTwoTrainableTensors})");
        Check(WeightDecay is null or >= 0, "weightDecay", $"must be >= 0 (got {WeightDecay})");
        Check(StochasticDepth is >= 0 and < 1, "stochasticDepth", $"must be in [0, 1) (got {StochasticDepth})");
        Check(Patience is null or >= 1, "patience", $"must be at least 1 (got {Patience})");
        Check(MinLearningRateFactor is >= 0 and <= 1, "minLrFactor", $"must be in [0, 1] (got {MinLearningRateFactor})");
        Check(ValidationFraction is > 0 and < 1, "valFraction", $"must be between 0 and 1 (got {ValidationFraction})");
        Check(ClassWeightPower is null or (>= 0 and <= 1), "classWeightPower", $"must be in [0, 1] (got {ClassWeightPower})");
        Check(LabelSmoothing is null or (>= 0 and < 1), "labelSmoothing", $"must be in [0, 1) (got {LabelSmoothing})");
        Check(Enum.IsDefined(Augmentation), "augment", "must be 'auto', 'full', 'flip' or 'none'");
        Check(Enum.IsDefined(CropJitter), "cropJitter", "must be 'uniform' or 'detector'");
        Check(Enum.IsDefined(FeatureCache), "featureCache", "must be 'auto' or 'off'");
        Check(FeatureCacheLimitMiB >= 0, "cacheLimit", $"must be >= 0 MiB (got {FeatureCacheLimitMiB})");
        Check(MaxImagesPerClass >= 0, "maxPerClass", $"must be >= 0 (got {MaxImagesPerClass})");
        Check(OnnxParityTolerance > 0, "parityTolerance", $"must be positive (got {OnnxParityTolerance})");
        if (AugmentationSettings.Problem() is { } augmentation) errors.Add(new OptionError("augmentationSettings", augmentation));
        return errors;
    }

    /// <summary>The phases this recipe runs (a phase with zero epochs is left out).</summary>
    public IReadOnlyList<PhasePlan> Phases(int headTensors)
    {
        var phases = EffectiveRecipe == TrainingRecipe.Transfer
            ? new[]
            {
                new PhasePlan(1, "transfer: head only, backbone frozen", EffectivePhaseOneEpochs, EffectivePhaseOneLearningRate, headTensors),
                new PhasePlan(2, $"fine-tune: last {PhaseTwoTrainableTensors} parameter tensors", EffectivePhaseTwoEpochs, EffectivePhaseTwoLearningRate, PhaseTwoTrainableTensors),
            }
            : new[]
            {
                new PhasePlan(1, "scratch: every layer", EffectivePhaseOneEpochs, EffectivePhaseOneLearningRate, null),
                new PhasePlan(2, "scratch: every layer, lower learning rate", EffectivePhaseTwoEpochs, EffectivePhaseTwoLearningRate, null),
            };
        return phases.Where(p => p.Epochs > 0).ToList();
    }

    /// <summary>The augmentation a phase uses; <paramref name="backboneFrozen"/>: part of the network does not train.</summary>
    public AugmentationOptions? AugmentationFor(bool backboneFrozen) => Augmentation switch
    {
        AugmentationMode.None => null,
        AugmentationMode.Flip => AugmentationOptions.FlipOnly,
        AugmentationMode.Full => FullAugmentation,
        _ => backboneFrozen ? AugmentationOptions.FlipOnly : FullAugmentation,
    };

    private AugmentationOptions FullAugmentation => CropJitter == CropJitter.Detector
        ? AugmentationSettings with { Framing = FramingJitter.UltraFaceRfb640 }
        : AugmentationSettings;
}
