using Fer.Trainer.Model;

namespace Fer.Trainer.Training;

/// <summary>The settings whose default depends on the recipe; the CLI and the training service both start from here.</summary>
public sealed record RecipeDefaults(double PhaseOneLearningRate, double PhaseTwoLearningRate, double StochasticDepth)
{
    /// <summary>
    /// Transfer: the seed's learning rates and torchvision's stochastic depth. Scratch: a higher learning rate and no
    /// stochastic depth (a regulariser, while a short run from random weights underfits); a scratch run also
    /// zero-initialises the residual branches (<see cref="FerNet.ZeroInitialiseResidualBranches"/>). The training
    /// notes have the measurements behind both choices.
    /// </summary>
    public static RecipeDefaults Of(TrainingRecipe recipe) => recipe == TrainingRecipe.Scratch
        ? new RecipeDefaults(1e-3, 1e-4, 0)
        : new RecipeDefaults(2e-4, 2e-5, FerNet.DefaultStochasticDepth);
}
