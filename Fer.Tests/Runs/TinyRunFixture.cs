using Fer.Tests.Data;
using Fer.Tests.Infrastructure;
using Fer.Training.Torch;
using Fer.Training.Runs;

namespace Fer.Tests.Runs;

/// <summary>
/// One tiny real run shared by the training tests (FER2013, 8 images per class and split, S = 64, batch 8, three phase-1
/// epochs and one phase-2 epoch, the torchvision-format fixture as --weights): it is cancelled after phase 1 epoch 2,
/// then resumed to the end, as a user pressing Ctrl+C and running --resume would.
/// </summary>
public sealed class TinyRunFixture : IDisposable
{
    private readonly TempDirectory _temp = new();

    public TinyRunFixture()
    {
        TorchRuntime.Initialize();
        Options = new TrainingOptions
        {
            DataPath = RepositoryPaths.Fer2013,
            OutputDirectory = Path.Combine(_temp.Path, "run"),
            MaxImagesPerClass = 8,
            ImageSize = 64,
            BatchSize = 8,
            PhaseOneEpochs = 3,
            PhaseTwoEpochs = 1,
            // High for a head: at 1e-3, 21 steps on a random backbone's features left the loss at chance (1.95 -> 1.97 on
            // one CI machine), so "the loss falls" came down to float rounding.
            PhaseOneLearningRate = 1e-2,
            WeightsPath = Path.Combine(RepositoryPaths.EfficientNetFixture, "efficientnet_v2_s.pth"),
            Seed = 11,
            // The fixture's random backbone is ill-conditioned at S = 64: on some images the parity gate measures TorchSharp's
            // own float32 logits 3e-2..5e-2 from float64, so no float32 runtime can meet the production 1e-4. The gate still
            // runs (it rejects a wrong graph, relative error ~1); the agreement test below checks predictions.
            OnnxParityTolerance = 0.5,
        };

        using var stop = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.CompletedEpoch is { Phase: 1, Epoch: 2 }) stop.Cancel();
        });
        Interrupted = TrainingRun.Create(Options, progress).Run(stop.Token);
        StateAfterInterrupt = TrainingState.Read(Options.OutputDirectory);
        Result = TrainingRun.Resume(RunDirectory).Run();
    }

    public TrainingOptions Options { get; }

    public string RunDirectory => Options.OutputDirectory!;

    public TrainingResult Interrupted { get; }

    public TrainingState StateAfterInterrupt { get; }

    public TrainingResult Result { get; }

    public string File(string name) => Path.Combine(RunDirectory, name);

    public void Dispose() => _temp.Dispose();
}
