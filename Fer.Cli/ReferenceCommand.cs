using System.CommandLine;
using Fer.Contracts.Monitoring;
using Fer.Training.Data;
using Fer.Training.Monitoring;
using Fer.Training.Runs;

namespace Fer.Cli;

/// <summary><c>reference --model model.onnx --data DIR [--check-split test] [--out FILE]</c>: the model's monitoring
/// reference on its validation split (class, confidence and input-statistic histograms, the fitted temperature and its
/// calibration error), written as JSON beside the model; with <c>--check-split</c>, the temperature scored on another split.</summary>
public static class ReferenceCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "an exported model (model.onnx)", Required = true };
        var data = new Option<string>("--data") { Description = "the data the model was trained on: image-folder root (train/, test/) or FER2013 CSV", Required = true };
        var split = new Option<string>("--split") { Description = "the split the reference describes", DefaultValueFactory = _ => FaceDataSource.Validation };
        var check = new Option<string?>("--check-split") { Description = "also score the fitted temperature on this split (e.g. test)" };
        var output = new Option<string?>("--out") { Description = $"where to write the reference (default: {MonitoringReference.FileName} beside the model)" };
        var valFraction = new Option<double>("--val-fraction") { Description = "an image folder without val/: the share of train/ the run held out", DefaultValueFactory = _ => TrainingOptions.Defaults.ValidationFraction };
        var seed = new Option<int>("--seed") { Description = "the run's seed, for that validation split", DefaultValueFactory = _ => TrainingOptions.Defaults.Seed };

        var command = new Command("reference", "Compute a model's monitoring reference (drift statistics and probability calibration) on its validation split.")
        {
            model, data, split, check, output, valFraction, seed,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var modelPath = parse.GetValue(model)!;
                if (!File.Exists(modelPath)) throw new FileNotFoundException($"--model: {modelPath} not found", modelPath);
                var onnx = await File.ReadAllBytesAsync(modelPath, cancellationToken);
                var outPath = parse.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, MonitoringReference.FileName);
                var reference = await Task.Run(() => ModelReference.Compute(onnx, parse.GetValue(data)!, parse.GetValue(split)!,
                    parse.GetValue(valFraction), parse.GetValue(seed), cancellationToken), cancellationToken);
                Console.WriteLine($"{reference.Split}: {reference.Count} faces, accuracy {reference.Accuracy:F4}, temperature {reference.Temperature:F3}, " +
                                  $"ECE {reference.EceBefore:F4} -> {reference.EceAfter:F4}, mean calibrated confidence {reference.EstimatedAccuracy:F4}, " +
                                  $"transport estimate {reference.TransportAccuracy:F4} (temperature {reference.TransportTemperature:F3})");
                if (parse.GetValue(check) is { } checkSplit)
                {
                    var answers = await Task.Run(() => ModelReference.Run(onnx, parse.GetValue(data)!, checkSplit, parse.GetValue(valFraction),
                        parse.GetValue(seed), cancellationToken), cancellationToken);
                    var (before, after, accuracy, estimated, transport) = ModelReference.Check(answers, reference);
                    Console.WriteLine($"{checkSplit}: {answers.Labels.Length} faces, accuracy {accuracy:F4}, ECE {before:F4} -> {after:F4}, " +
                                      $"mean calibrated confidence {estimated:F4}, transport estimate {transport:F4}");
                }
                await File.WriteAllTextAsync(outPath, reference.ToJson() + "\n", cancellationToken);
                Console.WriteLine($"wrote {outPath}");
                return 0;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("cancelled");
                return 130;
            }
            catch (Exception e) when (e is DataFormatException or IOException or InvalidDataException or ArgumentException
                                          or UnauthorizedAccessException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
