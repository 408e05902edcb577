using System.CommandLine;
using Fer.Training.Torch;
using Fer.Training.Weights;

namespace Fer.Trainer.Cli;

/// <summary>The trainer's command-line verbs; with none, the trainer runs as an HTTP service.</summary>
public static class TrainerCommandLine
{
    private static readonly string[] HelpFlags = ["--help", "-h", "-?"];

    /// <summary>A verb or a help flag first means the command line; anything else (e.g. --urls) goes to the web host.</summary>
    public static bool IsCommand(string[] args) =>
        args.Length > 0 && (HelpFlags.Contains(args[0]) ||
                            CreateRoot().Subcommands.Any(verb => verb.Name.Equals(args[0], StringComparison.OrdinalIgnoreCase)));

    public static Task<int> RunAsync(string[] args) => CreateRoot().Parse(args).InvokeAsync();

    private static RootCommand CreateRoot()
    {
        var root = new RootCommand("Fer trainer: run with no arguments to start the HTTP service.");
        root.Subcommands.Add(SelfCheckCommand());
        root.Subcommands.Add(InspectWeightsCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        return root;
    }

    private static Command SelfCheckCommand()
    {
        var command = new Command("selfcheck", "Load libtorch, check its convolutions on this CPU, and print the device in use.");
        command.SetAction(_ =>
        {
            try
            {
                Console.WriteLine($"torch: {TorchRuntime.Initialize().Describe()}");
                return 0;
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
