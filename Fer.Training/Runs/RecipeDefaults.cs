namespace Fer.Training.Runs;

/// <summary>The settings whose default depends on the recipe; the CLI and the training service both start from here.</summary>
public sealed record RecipeDefaults(double PhaseOneLearningRate, double PhaseTwoLearningRate)
{
    /// <summary>Transfer: the seed's learning rates. Scratch: a random network starts ten times higher (and its residual
    /// branches are zero-initialised, see <see cref="TrainingRun"/>).</summary>
    public static RecipeDefaults Of(TrainingRecipe recipe) => recipe == TrainingRecipe.Scratch
        ? new RecipeDefaults(1e-3, 1e-4)
        : new RecipeDefaults(2e-4, 2e-5);
}
