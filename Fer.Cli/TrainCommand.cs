using System.CommandLine;
using System.Globalization;
using Fer.Contracts;
using Fer.Training.Data;
using Fer.Training.Evaluation;
using Fer.Training.Networks;
using Fer.Training.Onnx;
using Fer.Training.Runs;
using Fer.Training.Weights;

namespace Fer.Cli;

/// <summary><c>train --data DIR ...</c> or <c>train --resume RUNDIR</c>: runs <see cref="TrainingRun"/> with a live progress display.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var d = TrainingOptions.Defaults;
        var data = new Option<string?>("--data") { Description = "image-folder root (train/<class>/*, test/<class>/*) or FER2013 CSV" };
        var output = new Option<string?>("--out") { Description = "run folder (default: runs/YYYYMMDD-HHMMSS)" };
        var resume = new Option<string?>("--resume") { Description = "continue the run in this folder from its last finished epoch" };
        var model = new Option<string?>("--model") { Description = $"network family: {ModelFamilies.Cnn48Id} (48 px, made for a CPU; the default without --weights) or {ModelFamilies.EfficientNetV2SId} (the default with --weights)" };
        var testTimeFlip = new Option<bool?>("--tta") { Description = "evaluate and export the mean over each image and its mirror (default: on for cnn48, off for efficientnet_v2_s)" };
        var dropout = new Option<double?>("--dropout") { Description = $"cnn48's head dropout (default {Cnn48.DefaultDropout})" };
        var imageSize = new Option<int>("--image-size") { Description = "backbone input size S (multiple of 32)", DefaultValueFactory = _ => d.ImageSize };
        var epochs1 = new Option<int?>("--epochs1") { Description = $"phase 1 epochs, at most (default {Defaults(r => r.PhaseOneEpochs)})" };
        var epochs2 = new Option<int?>("--epochs2") { Description = $"phase 2 epochs, at most (default {Defaults(r => r.PhaseTwoEpochs)})" };
        var batch = new Option<int>("--batch-size") { Description = "images per step", DefaultValueFactory = _ => d.BatchSize };
        var weights = new Option<string?>("--weights") { Description = $"torchvision ImageNet weights ({TorchvisionWeights.OfficialFileName})" };
        var recipe = new Option<TrainingRecipe?>("--recipe") { Description = "transfer (frozen backbone, then last 30 tensors) or scratch (every layer); default: scratch for cnn48, transfer for efficientnet_v2_s" };
        var seed = new Option<int>("--seed") { Description = "seed for the split, shuffling, augmentation and initialisation", DefaultValueFactory = _ => d.Seed };
        var lr1 = new Option<double?>("--lr1") { Description = $"phase 1 learning rate (default {Defaults(r => r.PhaseOneLearningRate)})" };
        var lr2 = new Option<double?>("--lr2") { Description = $"phase 2 learning rate (default {Defaults(r => r.PhaseTwoLearningRate)})" };
        var phaseTwoTensors = new Option<int>("--phase2-tensors") { Description = "transfer recipe: parameter tensors phase 2 trains, counted from the end", DefaultValueFactory = _ => d.PhaseTwoTrainableTensors };
        var weightDecay = new Option<double?>("--weight-decay") { Description = $"AdamW weight decay (default {Defaults(r => r.WeightDecay)})" };
        var stochasticDepth = new Option<double>("--stochastic-depth") { Description = "the last backbone block's drop probability (torchvision's 0.2)", DefaultValueFactory = _ => d.StochasticDepth };
        var patience = new Option<int?>("--patience") { Description = $"early stopping: epochs without a better validation macro-F1 (default {Defaults(r => r.Patience)})" };
        var minLrFactor = new Option<double>("--min-lr-factor") { Description = "the cosine schedule's floor, as a fraction of the phase's learning rate", DefaultValueFactory = _ => d.MinLearningRateFactor };
        var valFraction = new Option<double>("--val-fraction") { Description = "validation share of train when the data has no validation part", DefaultValueFactory = _ => d.ValidationFraction };
        var smoothing = new Option<double?>("--label-smoothing") { Description = $"cross-entropy label smoothing (default {Defaults(r => r.LabelSmoothing)})" };
        var noClassWeights = new Option<bool>("--no-class-weights") { Description = "plain cross-entropy instead of class-weighted" };
        var classWeightPower = new Option<double?>("--class-weight-power") { Description = $"class weights (n / (k n_c))^power: 1 balanced, 0 plain (default {Defaults(r => r.ClassWeightPower)})" };
        var augment = new Option<AugmentationMode>("--augment") { Description = "auto (flips while the backbone is frozen, full otherwise), full, flip or none", DefaultValueFactory = _ => d.Augmentation };
        var cropJitter = new Option<CropJitter>("--crop-jitter") { Description = "full augmentation's shift and scale: uniform (the ranges) or detector (the shipped face detector's measured framing error)", DefaultValueFactory = _ => d.CropJitter };
        var blur = new Option<double>("--blur-probability") { Description = "full augmentation: the share of images blurred (Gaussian, sigma 0.1-2 px); 0: none", DefaultValueFactory = _ => d.AugmentationSettings.BlurProbability };
        var erase = new Option<double>("--erase-probability") { Description = "full augmentation: the share of images with a rectangle erased (2-33 % of the face, one grey); 0: none", DefaultValueFactory = _ => d.AugmentationSettings.EraseProbability };
        var cache = new Option<FeatureCacheMode>("--feature-cache") { Description = "auto or off", DefaultValueFactory = _ => d.FeatureCache };
        var cacheLimit = new Option<int>("--cache-limit") { Description = "feature cache memory bound in MiB", DefaultValueFactory = _ => d.FeatureCacheLimitMiB };
        var limit = new Option<int>("--max-per-class") { Description = "read at most this many images per class and split (0: all)", DefaultValueFactory = _ => d.MaxImagesPerClass };
        var feedback = new Option<string?>("--feedback") { Description = "an unpacked feedback export (GET /feedback/export): its labels join training, a held-out part is scored on its own" };
        var noOnnx = new Option<bool>("--no-onnx") { Description = "skip the ONNX export" };
        var parityTolerance = new Option<double>("--parity-tolerance") { Description = "ONNX parity gate: max relative error vs TorchSharp", DefaultValueFactory = _ => d.OnnxParityTolerance };

        var command = new Command("train", "Trains a model on FER2013 (cnn48 from scratch, or EfficientNetV2-S: with --weights, the two-phase transfer recipe); writes checkpoints, metrics.json, plots, report.md, train.log and model.onnx.")
        {
            data, output, resume, model, testTimeFlip, dropout, imageSize, epochs1, epochs2, batch, weights, recipe, seed, lr1, lr2,
            phaseTwoTensors, weightDecay, stochasticDepth, patience, minLrFactor, valFraction, smoothing, noClassWeights, classWeightPower, augment, cropJitter, blur,
            erase, cache, cacheLimit, limit, feedback, noOnnx, parityTolerance,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var console = new TrainingConsole();
                TrainingRun run;
                if (parse.GetValue(resume) is { } runDirectory)
                {
                    run = TrainingRun.Resume(runDirectory, console);
                }
                else
                {
                    var options = new TrainingOptions
                    {
                        DataPath = parse.GetValue(data) ?? throw new ArgumentException("--data is required (or --resume RUNDIR)"),
                        OutputDirectory = parse.GetValue(output)
                            ?? Path.Combine("runs", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)),
                        Model = parse.GetValue(model) is { } id
                            ? ModelFamilies.TryParse(id, out var family) ? family : throw new ArgumentException($"--model must be one of {string.Join(", ", ModelFamilies.Ids)} (got '{id}')")
                            : null,
                        TestTimeFlip = parse.GetValue(testTimeFlip),
                        Dropout = parse.GetValue(dropout),
                        ImageSize = parse.GetValue(imageSize),
                        PhaseOneEpochs = parse.GetValue(epochs1),
                        PhaseTwoEpochs = parse.GetValue(epochs2),
                        BatchSize = parse.GetValue(batch),
                        WeightsPath = parse.GetValue(weights),
                        Recipe = parse.GetValue(recipe),
                        Seed = parse.GetValue(seed),
                        PhaseOneLearningRate = parse.GetValue(lr1),
                        PhaseTwoLearningRate = parse.GetValue(lr2),
                        PhaseTwoTrainableTensors = parse.GetValue(phaseTwoTensors),
                        WeightDecay = parse.GetValue(weightDecay),
                        StochasticDepth = parse.GetValue(stochasticDepth),
                        Patience = parse.GetValue(patience),
                        MinLearningRateFactor = parse.GetValue(minLrFactor),
                        ValidationFraction = parse.GetValue(valFraction),
                        LabelSmoothing = parse.GetValue(smoothing),
                        ClassWeightedLoss = !parse.GetValue(noClassWeights),
                        ClassWeightPower = parse.GetValue(classWeightPower),
                        Augmentation = parse.GetValue(augment),
                        CropJitter = parse.GetValue(cropJitter),
                        AugmentationSettings = d.AugmentationSettings with { BlurProbability = parse.GetValue(blur), EraseProbability = parse.GetValue(erase) },
                        FeatureCache = parse.GetValue(cache),
                        FeatureCacheLimitMiB = parse.GetValue(cacheLimit),
                        MaxImagesPerClass = parse.GetValue(limit),
                        FeedbackPath = parse.GetValue(feedback),
                        ExportOnnx = !parse.GetValue(noOnnx),
                        OnnxParityTolerance = parse.GetValue(parityTolerance),
                    };
                    if (options.Validate() is { Count: > 0 } errors)
                    {
                        foreach (var error in errors) Console.Error.WriteLine($"error: {Flag(error.Field)} {error.Problem}");
                        return 1;
                    }
                    run = TrainingRun.Create(options, console);
                }

                var result = await console.ShowAsync(run.RunAsync(cancellationToken));
                if (!result.Completed)
                {
                    Console.Error.WriteLine($"stopped; the best checkpoint is kept in {result.RunDirectory}. Continue with: train --resume {result.RunDirectory}");
                    return 130;
                }
                var evaluation = result.Evaluation!;
                Console.WriteLine();
                Console.WriteLine($"{evaluation.Split}: {evaluation.Metrics.Count} images, accuracy {evaluation.Metrics.Accuracy:P2}, macro-F1 {evaluation.Metrics.MacroF1:F4} (wall time {result.Elapsed:hh\\:mm\\:ss})");
                Console.WriteLine();
                Console.Write(ClassificationReport.Format(evaluation.Metrics));
                Console.WriteLine();
                Console.WriteLine($"run folder: {Path.GetFullPath(result.RunDirectory)}{(result.OnnxPath is null ? "" : $" (model: {result.OnnxPath})")}");
                return 0;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("cancelled; a run folder holding state.json continues with train --resume RUNDIR");
                return 130;
            }
            catch (Exception e) when (e is DataFormatException or IOException or InvalidDataException or ArgumentException
                                          or InvalidOperationException or UnauthorizedAccessException or WeightFileException
                                          or OnnxParityException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    // "40 cnn48, 30 efficientnet_v2_s transfer, 30 scratch": what --help says a recipe-dependent flag defaults to.
    private static string Defaults<T>(Func<RecipeDefaults, T> setting) => string.Join(", ", RecipeCases
        .Select(c => string.Create(CultureInfo.InvariantCulture, $"{setting(RecipeDefaults.Of(c.Family, c.Recipe))} {c.Name}")));

    private static readonly (ModelFamily Family, TrainingRecipe Recipe, string Name)[] RecipeCases =
    [
        (ModelFamily.Cnn48, TrainingRecipe.Scratch, ModelFamilies.Cnn48Id),
        (ModelFamily.EfficientNetV2S, TrainingRecipe.Transfer, $"{ModelFamilies.EfficientNetV2SId} transfer"),
        (ModelFamily.EfficientNetV2S, TrainingRecipe.Scratch, "scratch"),
    ];

    /// <summary>A field's flag: <c>imageSize</c> is <c>--image-size</c>; the few whose flag says it differently are listed.</summary>
    public static string Flag(string field) => field switch
    {
        "classWeights" => "--no-class-weights",
        "exportOnnx" => "--no-onnx",
        "augmentationSettings" => "the augmentation settings",
        _ => "--" + string.Concat(field.Select((c, i) => char.IsUpper(c) && i > 0 ? $"-{char.ToLowerInvariant(c)}" : $"{c}")),
    };
}
