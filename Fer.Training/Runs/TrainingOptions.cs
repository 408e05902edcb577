using Fer.Training.Data;
using Fer.Training.Networks;
using Fer.Training.Onnx;

namespace Fer.Training.Runs;

/// <summary>Everything a run is made of; the defaults are the seed's recipe (batch 64, AdamW 2e-4 then 2e-5, S = 224).</summary>
public sealed record TrainingOptions
{
    /// <summary>An image-folder root (<c>train/</c>, <c>test/</c>) or a FER2013 CSV file.</summary>
    public required string DataPath { get; init; }

    /// <summary>The run folder: checkpoints, metrics, plots, report, log, model.onnx.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The network family; null: <see cref="ModelFamily.Cnn48"/> without weights, EfficientNetV2-S with them.</summary>
    public ModelFamily? Model { get; init; }

    /// <summary>The family this run trains (<see cref="Model"/>, or the one that fits <see cref="WeightsPath"/>).</summary>
    public ModelFamily Family => Model ?? (WeightsPath is null ? ModelFamily.Cnn48 : ModelFamily.EfficientNetV2S);

    /// <summary>Evaluate and export with the mean over each image and its mirror; null: on for Cnn48 (it costs little
    /// there), off for EfficientNetV2-S (it would halve an already slow model's serving rate).</summary>
    public bool? TestTimeFlip { get; init; }

    public bool UsesTestTimeFlip => TestTimeFlip ?? Family == ModelFamily.Cnn48;

    /// <summary>Cnn48's dropout in the head (null: <see cref="Cnn48.DefaultDropout"/>).</summary>
    public double? Dropout { get; init; }

    /// <summary>EfficientNetV2-S's backbone size S; Cnn48 always sees the 48 px crop.</summary>
    public int ImageSize { get; init; } = FerNet.DefaultImageSize;
    public int BatchSize { get; init; } = 64;
    public int Seed { get; init; } = 42;
    public TrainingRecipe Recipe { get; init; } = TrainingRecipe.Transfer;

    /// <summary>torchvision ImageNet weights (<c>efficientnet_v2_s-dd5fe13b.pth</c>) for the backbone.</summary>
    public string? WeightsPath { get; init; }

    public int PhaseOneEpochs { get; init; } = 30;
    public int PhaseTwoEpochs { get; init; } = 20;
    public double PhaseOneLearningRate { get; init; } = 2e-4;
    public double PhaseTwoLearningRate { get; init; } = 2e-5;

    /// <summary>Phase 2 of the transfer recipe trains this many parameter tensors, counted from the end.</summary>
    public int PhaseTwoTrainableTensors { get; init; } = FerNetParameters.SeedPhaseTwoTensors;

    public double WeightDecay { get; init; } = 0.01;

    /// <summary>The backbone's stochastic depth: the last block's drop probability (torchvision: 0.2).</summary>
    public double StochasticDepth { get; init; } = FerNet.DefaultStochasticDepth;

    /// <summary>Early stopping: a phase ends after this many epochs without a better validation macro-F1.</summary>
    public int Patience { get; init; } = 5;

    /// <summary>The cosine schedule's floor, as a fraction of the phase's learning rate.</summary>
    public double MinLearningRateFactor { get; init; } = 0.01;

    public double ValidationFraction { get; init; } = 0.1;
    public bool ClassWeightedLoss { get; init; } = true;
    public double LabelSmoothing { get; init; }
    public AugmentationMode Augmentation { get; init; } = AugmentationMode.Auto;
    public AugmentationOptions AugmentationSettings { get; init; } = new();
    public FeatureCacheMode FeatureCache { get; init; } = FeatureCacheMode.Auto;

    /// <summary>The most memory the feature caches may take, in bytes (float32, else float16 when that fits).</summary>
    public long FeatureCacheLimitBytes { get; init; } = 4L << 30;

    /// <summary>Read at most this many images per class and split (0: all). For quick runs and tests.</summary>
    public int MaxImagesPerClass { get; init; }

    /// <summary>Export model.onnx (through the exporter's parity gate) at the end.</summary>
    public bool ExportOnnx { get; init; } = true;

    /// <summary>The parity gate's relative-error tolerance between TorchSharp and ONNX Runtime outputs.</summary>
    public double OnnxParityTolerance { get; init; } = OnnxParityGate.DefaultTolerance;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataPath)) throw new ArgumentException("--data is required", nameof(DataPath));
        if (string.IsNullOrWhiteSpace(OutputDirectory)) throw new ArgumentException("--out is required", nameof(OutputDirectory));
        if (ImageSize < 64 || ImageSize % 32 != 0)
            throw new ArgumentOutOfRangeException(nameof(ImageSize), ImageSize, "--image-size must be a multiple of 32, at least 64");
        if (BatchSize < 2) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "--batch-size must be at least 2");
        if (PhaseOneEpochs < 0 || PhaseTwoEpochs < 0 || PhaseOneEpochs + PhaseTwoEpochs == 0)
            throw new ArgumentOutOfRangeException(nameof(PhaseOneEpochs), PhaseOneEpochs, "--epochs1/--epochs2 must be >= 0 and not both 0");
        if (PhaseOneLearningRate <= 0 || PhaseTwoLearningRate <= 0)
            throw new ArgumentOutOfRangeException(nameof(PhaseOneLearningRate), PhaseOneLearningRate, "learning rates must be positive");
        if (StochasticDepth is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(StochasticDepth), StochasticDepth, "--stochastic-depth must be in [0, 1)");
        if (PhaseTwoTrainableTensors < 1)
            throw new ArgumentOutOfRangeException(nameof(PhaseTwoTrainableTensors), PhaseTwoTrainableTensors, "must be at least 1");
        if (Patience < 1) throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "--patience must be at least 1");
        if (ValidationFraction is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "--val-fraction must be between 0 and 1");
        if (LabelSmoothing is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(LabelSmoothing), LabelSmoothing, "--label-smoothing must be in [0, 1)");
        if (MinLearningRateFactor is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(MinLearningRateFactor), MinLearningRateFactor, "must be in [0, 1]");
        if (FeatureCacheLimitBytes < 0)
            throw new ArgumentOutOfRangeException(nameof(FeatureCacheLimitBytes), FeatureCacheLimitBytes, "--cache-limit must be >= 0");
        if (OnnxParityTolerance <= 0)
            throw new ArgumentOutOfRangeException(nameof(OnnxParityTolerance), OnnxParityTolerance, "--parity-tolerance must be positive");
        if (Family == ModelFamily.Cnn48 && WeightsPath is not null)
            throw new ArgumentException($"--weights is torchvision's efficientnet_v2_s file; it does not fit --model {ModelFamilies.Cnn48Id}", nameof(WeightsPath));
        if (Family == ModelFamily.Cnn48 && Recipe == TrainingRecipe.Transfer)
            throw new ArgumentException($"--recipe transfer needs a pretrained backbone; --model {ModelFamilies.Cnn48Id} trains from scratch (--recipe scratch)", nameof(Recipe));
        if (Dropout is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "--dropout must be in [0, 1)");
        if (WeightsPath is not null && !File.Exists(WeightsPath))
            throw new FileNotFoundException($"--weights: {WeightsPath} not found", WeightsPath);
        AugmentationSettings.Validate();
    }

    /// <summary>The phases this recipe runs (a phase with zero epochs is left out).</summary>
    public IReadOnlyList<PhasePlan> Phases(int headTensors)
    {
        var phases = Recipe == TrainingRecipe.Transfer
            ? new[]
            {
                new PhasePlan(1, "transfer: head only, backbone frozen", PhaseOneEpochs, PhaseOneLearningRate, headTensors),
                new PhasePlan(2, $"fine-tune: last {PhaseTwoTrainableTensors} parameter tensors", PhaseTwoEpochs, PhaseTwoLearningRate, PhaseTwoTrainableTensors),
            }
            : new[]
            {
                new PhasePlan(1, "scratch: every layer", PhaseOneEpochs, PhaseOneLearningRate, null),
                new PhasePlan(2, "scratch: every layer, lower learning rate", PhaseTwoEpochs, PhaseTwoLearningRate, null),
            };
        return phases.Where(p => p.Epochs > 0).ToList();
    }

    /// <summary>The augmentation a phase uses; <paramref name="backboneFrozen"/>: part of the network does not train.</summary>
    public AugmentationOptions? AugmentationFor(bool backboneFrozen) => Augmentation switch
    {
        AugmentationMode.None => null,
        AugmentationMode.Flip => AugmentationOptions.FlipOnly,
        AugmentationMode.Full => AugmentationSettings,
        _ => backboneFrozen ? AugmentationOptions.FlipOnly : AugmentationSettings,
    };
}
