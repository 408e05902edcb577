using Fer.Tests.Infrastructure;
using Fer.Trainer.Extensions;
using Microsoft.Extensions.Options;

namespace Fer.Tests.Trainer.Extensions;

/// <summary>The trainer's options, checked from their data annotations as <c>ValidateDataAnnotations()</c> does at start:
/// each bad setting is refused with its configuration key.</summary>
public sealed class TrainerOptionsValidationTests
{
    [Fact]
    public void EveryBadSetting_IsNamed()
    {
        var result = new DataAnnotationValidateOptions<TrainerOptions>(null).Validate(null, new TrainerOptions
        {
            DataDirectory = " ", WeightsPath = " ", RunsDirectory = "", RecentJobs = 0, KeyPrefix = "a b",
            ProgressSaveInterval = TimeSpan.FromMinutes(11),
        });

        Assert.Equal(
            ["Trainer:DataDirectory", "Trainer:KeyPrefix", "Trainer:ProgressSaveInterval", "Trainer:RecentJobs", "Trainer:RunsDirectory",
             "Trainer:WeightsPath"],
            OptionsFailures.NamedKeys(result.Failures!, "Trainer:"));
    }

    [Fact]
    public void ABlankFallbackFolder_IsNamed()
    {
        var result = new DataAnnotationValidateOptions<TrainerOptions>(null).Validate(null, new TrainerOptions { FallbackDataDirectories = ["ok", " "] });

        Assert.Contains(result.Failures!, f => f.Contains("Trainer:FallbackDataDirectories must hold only paths", StringComparison.Ordinal));
    }

    [Fact]
    public void TheDefaults_AreValid_AndKeepRunsOutOfTheSourceTree()
    {
        var options = new TrainerOptions();

        Assert.True(new DataAnnotationValidateOptions<TrainerOptions>(null).Validate(null, options).Succeeded);
        Assert.True(Path.IsPathRooted(options.RunsDirectory), options.RunsDirectory);
        Assert.False(options.RunsDirectory.StartsWith(RepositoryPaths.Root, StringComparison.Ordinal));
    }

    [Fact]
    public void AnEmptyWeightsPath_IsRefused_ButNoneIsFine()
    {
        Assert.True(new DataAnnotationValidateOptions<TrainerOptions>(null).Validate(null, new TrainerOptions { WeightsPath = "" }).Failed);
        Assert.True(new DataAnnotationValidateOptions<TrainerOptions>(null).Validate(null, new TrainerOptions { WeightsPath = null }).Succeeded);
    }
}
