using System.CommandLine;
using Fer.Training.Torch;
using Fer.Training.Weights;

namespace Fer.Cli;

/// <summary>Fer's command-line verbs. Relative paths in them are taken from the current directory, the one the user
/// typed the command in (this console project keeps it under <c>dotnet run</c>).</summary>
public static class FerCommandLine
{
    public static Task<int> RunAsync(string[] args) => CreateRoot().Parse(args).InvokeAsync();

    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("Fer's command line: train, evaluate and export facial-emotion models, inspect weight files, check libtorch.");
        root.Subcommands.Add(SelfCheckCommand());
        root.Subcommands.Add(InspectWeightsCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(ReferenceCommand.Create());
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
