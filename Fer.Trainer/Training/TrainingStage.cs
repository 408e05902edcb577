namespace Fer.Trainer.Training;

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
