namespace Fer.Trainer.Extensions;

/// <summary>The trainer is the HTTP service only; its former command-line verbs live in Fer.Cli, a console project that
/// keeps the user's working directory. A verb given here gets a one-line pointer instead of a silently started service.</summary>
public static class TrainerCommandLine
{
    /// <summary>True (after saying where the verb went) when the first argument is a word rather than a host setting
    /// (<c>--urls ...</c>, <c>--Trainer:RunsDirectory=...</c> or <c>Trainer:RunsDirectory=...</c>).</summary>
    public static bool RefusesVerb(string[] args)
    {
        if (args is not [var first, ..] || first.StartsWith('-') || first.Contains('=', StringComparison.Ordinal)) return false;
        Console.Error.WriteLine($"error: '{first}' is not a trainer setting; the command line is Fer.Cli: dotnet run --project Fer.Cli -- {first} ...");
        return true;
    }
}
