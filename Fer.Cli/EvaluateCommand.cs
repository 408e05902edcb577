using System.CommandLine;
using Fer.Faces;
using Fer.Training.Data;
using Fer.Training.Evaluation;
using Fer.Training.Runs;

namespace Fer.Cli;

/// <summary><c>evaluate --model model.onnx --data DIR [--split test|validation] [--faces detect|whole|centre] [--out DIR]</c>: metrics.json, plots and report through ONNX Runtime.</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "an exported model (model.onnx)", Required = true };
        var data = new Option<string>("--data") { Description = "image-folder root (train/, test/) or FER2013 CSV", Required = true };
        var split = new Option<string>("--split") { Description = "train, validation or test (CSV: test = PrivateTest, validation = PublicTest)", DefaultValueFactory = _ => FaceDataSource.Test };
        var output = new Option<string?>("--out") { Description = "where to write metrics.json, plots and report.md (default: evaluation-SPLIT beside the model)" };
        var batch = new Option<int>("--batch-size") { Description = "images per ONNX Runtime call", DefaultValueFactory = _ => 64 };
        var valFraction = new Option<double>("--val-fraction") { Description = "an image folder without val/: validation is the stratified share of train/ a run with this fraction and --seed held out", DefaultValueFactory = _ => TrainingOptions.Defaults.ValidationFraction };
        var seed = new Option<int>("--seed") { Description = "the run's seed, for that validation split", DefaultValueFactory = _ => TrainingOptions.Defaults.Seed };
        var limit = new Option<int>("--max-per-class") { Description = "read at most this many images per class (0: all)" };
        var faces = new Option<string>("--faces")
        {
            Description = "how each image becomes the face scored, as /predict does: detect (the largest face found; images up to 96x96, such as FER2013's, taken whole), whole or centre",
            DefaultValueFactory = _ => FaceMode.Detect.Name(),
        };

        var command = new Command("evaluate", "Evaluate an exported ONNX model on a data split, through ONNX Runtime and the serving image path.")
        {
            model, data, split, output, batch, limit, valFraction, seed, faces,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var modelPath = parse.GetValue(model)!;
                var splitName = parse.GetValue(split)!;
                var outDirectory = parse.GetValue(output)
                    ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, $"evaluation-{splitName}");
                var batchSize = parse.GetValue(batch);
                if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batch), batchSize, "--batch-size must be at least 1");
                if (!FaceModes.TryParse(parse.GetValue(faces), out var faceMode))
                    throw new ArgumentException($"--faces must be {FaceModes.Names}, not '{parse.GetValue(faces)}'");
                var result = await Task.Run(() => OnnxEvaluator.Evaluate(modelPath, parse.GetValue(data)!, splitName, batchSize,
                    parse.GetValue(limit), cancellationToken, parse.GetValue(valFraction), parse.GetValue(seed), faceMode), cancellationToken);
                EvaluationReport.Write(outDirectory, result);
                Console.WriteLine($"{result.Split}: {result.Metrics.Count} images, accuracy {result.Metrics.Accuracy:P2}, macro-F1 {result.Metrics.MacroF1:F4}");
                if (result.Faces is { } found) Console.WriteLine(found.Describe(result.Metrics.Count, result.Metrics.Accuracy));
                Console.WriteLine();
                Console.Write(ClassificationReport.Format(result.Metrics));
                Console.WriteLine();
                Console.WriteLine($"wrote {Path.Combine(outDirectory, EvaluationReport.MetricsFile)}, {EvaluationReport.ReportFile} and plots");
                return 0;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("cancelled");
                return 130;
            }
            catch (Exception e) when (e is DataFormatException or IOException or InvalidDataException or ArgumentException
                                          or UnauthorizedAccessException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException
                                          or Fer.Faces.Detection.FaceDetectorException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
