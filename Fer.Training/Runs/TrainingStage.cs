namespace Fer.Training.Runs;

public enum TrainingStage
{
    Loading,
    Caching,
    Training,
    Validating,
    Evaluating,
    Exporting,
    Done,
}
