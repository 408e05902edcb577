using Fer.Contracts;

namespace Fer.Training.Runs;

/// <summary>
/// The settings whose default depends on the model family and the recipe; <see cref="TrainingOptions"/>, the CLI and the
/// training service all start from here.
/// </summary>
public sealed record RecipeDefaults(
    int PhaseOneEpochs,
    int PhaseTwoEpochs,
    double PhaseOneLearningRate,
    double PhaseTwoLearningRate,
    double WeightDecay,
    int Patience,
    double LabelSmoothing,
    double ClassWeightPower)
{
    /// <summary>Cnn48: the recipe of the recorded full run (Fer.Training/Runs/NOTES.md), one cosine phase of 50 epochs.
    /// EfficientNetV2-S transfer: the seed's (30 + 20 epochs, AdamW 2e-4 then 2e-5, balanced class weights). Scratch
    /// EfficientNetV2-S: a random network starts ten times higher (its residual branches are zero-initialised).</summary>
    public static RecipeDefaults Of(ModelFamily family, TrainingRecipe recipe) => family switch
    {
        ModelFamily.Cnn48 => new RecipeDefaults(50, 0, 2e-3, 2e-4, 0.05, 50, 0.1, 0.5),
        _ when recipe == TrainingRecipe.Scratch => new RecipeDefaults(30, 20, 1e-3, 1e-4, 0.01, 5, 0, 1),
        _ => new RecipeDefaults(30, 20, 2e-4, 2e-5, 0.01, 5, 0, 1),
    };
}
