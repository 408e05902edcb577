using System.CommandLine;
using System.Globalization;
using Fer.Training.Networks;
using Fer.Training.Torch;
using Fer.Training.Weights;

namespace Fer.Cli;

/// <summary><c>inspect-weights FILE</c>: reads a weight file, prints what it holds and whether FerNet's backbone accepts it.</summary>
public static class InspectWeightsCommand
{
    public const string Name = "inspect-weights";

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "a torch.save .pth checkpoint or a .safetensors file" };
        var command = new Command(Name, "Read a weight file (restricted pickle reader, no code runs), print its tensors, SHA-256 "
            + "and whether it fits FerNet's EfficientNetV2-S backbone.");
        command.Arguments.Add(file);
        command.SetAction(result => Run(result.GetValue(file)!));
        return command;
    }

    private static int Run(FileInfo file)
    {
        try
        {
            var weights = StateDict.Read(file.FullName);
            var types = weights.Entries.GroupBy(e => e.Value.DataType)
                .Select(g => $"{g.Key} x{g.Count()}");
            Console.WriteLine($"file:     {weights.Source}");
            Console.WriteLine($"format:   {weights.Format}");
            Console.WriteLine($"sha256:   {weights.Sha256}");
            Console.WriteLine($"tensors:  {weights.Count} ({string.Join(", ", types)}), {weights.Entries.Sum(e => e.Value.ElementCount).ToString("N0", CultureInfo.InvariantCulture)} values");
            Console.WriteLine($"first:    {weights.Entries.FirstOrDefault().Key}");
            Console.WriteLine($"last:     {weights.Entries.LastOrDefault().Key}");

            TorchRuntime.Initialize();
            using var model = new FerNet();
            var report = TorchvisionWeights.ImportBackbone(model, weights);
            Console.WriteLine($"backbone: {report.LoadedTensors} tensors loaded into FerNet, {report.Ignored.Count} head tensors ignored");
            Console.WriteLine($"official: {(report.IsOfficial ? "yes" : "no")}");
            foreach (var warning in report.Warnings) Console.Error.WriteLine($"warning: {warning}");
            return 0;
        }
        catch (WeightFileException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
