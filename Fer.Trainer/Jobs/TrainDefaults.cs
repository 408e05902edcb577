namespace Fer.Trainer.Jobs;

/// <summary>The defaults of a training job: the same as the CLI's (the seed's recipe).</summary>
public static class TrainDefaults
{
    public const int ImageSize = 224;
    public const int Epochs1 = 30;
    public const int Epochs2 = 20;
    public const int BatchSize = 64;
    public const int Seed = 42;
    public const string Recipe = TransferRecipe;

    public const string TransferRecipe = "transfer";
    public const string ScratchRecipe = "scratch";

    public const int MinImageSize = 64;
    public const int MaxImageSize = 1024;
    public const int MaxEpochs = 10_000;
    public const int MinBatchSize = 2;
    public const int MaxBatchSize = 4096;
}
