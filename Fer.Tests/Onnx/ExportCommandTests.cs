using System.CommandLine;
using System.Runtime.InteropServices;
using Fer.Cli;
using Fer.Training.Networks;
using Fer.Training.Onnx;
using Fer.Training.Torch;
using Fer.Training.Weights;
using static TorchSharp.torch;

namespace Fer.Tests.Onnx;

public sealed class ExportCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fer-export-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string FixtureWeights => Path.GetFullPath(Path.Combine(TestData.Fer2013Root, "..", "..", "fixtures", "torchvision-efficientnet_v2_s", "efficientnet_v2_s.pth"));

    [Fact]
    public void Export_WritesAModelThatPassedParity_FromABackboneWeightFile()
    {
        var weights = WellConditionedBackbone.Write(Path.Combine(_folder, "backbone.safetensors"));
        var output = Path.Combine(_folder, "nested", "model.onnx");

        var (exitCode, stdout, stderr) = Run("export", "--weights", weights, "--out", output, "--image-size", "64", "--model-version", "v7");

        Assert.True(exitCode == ExportCommand.Ok, stdout + stderr);
        Assert.Contains("parity passed", stdout, StringComparison.Ordinal);
        Assert.Contains("test/happy/", stdout, StringComparison.Ordinal);
        Assert.Contains("780 tensors", stdout, StringComparison.Ordinal);
        Assert.Contains("is not the official", stdout, StringComparison.Ordinal);
        using var runtime = new OnnxRuntimeModel(File.ReadAllBytes(output));
        var info = runtime.ReadInfo();
        Assert.Equal(64, info.ImageSize);
        Assert.Equal("v7", info.Version);
        Assert.StartsWith("none (backbone weights sha256:", info.DatasetFingerprint, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(output)!, "*.tmp"));
    }

    /// <summary>The shared fixture's random weights blow real faces up to feature norms in the thousands, where float32
    /// itself loses four digits: the gate must refuse, show the numbers, and say that the model is to blame.</summary>
    [Fact]
    [Trait("Category", "Long")]
    public void Export_RefusesWithTheNumbers_WhenTheModelIsTooIllConditionedToVerify()
    {
        var output = Path.Combine(_folder, "model.onnx");

        var (exitCode, _, stderr) = Run("export", "--weights", FixtureWeights, "--out", output, "--image-size", "64");

        Assert.Equal(ExportCommand.ParityFailed, exitCode);
        Assert.Contains("over tolerance", stderr, StringComparison.Ordinal);
        Assert.Contains("ill-conditioned", stderr, StringComparison.Ordinal);
        Assert.Contains("error: parity FAILED", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Export_FailsInOneLine_ForAMissingWeightFile()
    {
        var missing = Path.Combine(_folder, "nope.pth");

        var (exitCode, stdout, stderr) = Run("export", "--weights", missing, "--out", Path.Combine(_folder, "m.onnx"));

        Assert.Equal(ExportCommand.BadInput, exitCode);
        Assert.Equal($"error: weights file '{missing}' does not exist", stderr.Trim());
        Assert.Empty(stdout);
    }

    [Fact]
    public void Export_FailsInOneLine_ForAFileThatIsNotAWeightFile()
    {
        var bogus = Path.Combine(_folder, "bogus.pth");
        File.WriteAllText(bogus, "definitely not a checkpoint");
        var output = Path.Combine(_folder, "m.onnx");

        var (exitCode, _, stderr) = Run("export", "--weights", bogus, "--out", output);

        Assert.Equal(ExportCommand.BadInput, exitCode);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.Contains("bogus.pth", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("50")]
    [InlineData("32")]
    public void Export_RejectsAnImageSizeTheBackboneCannotTake(string size)
    {
        var (exitCode, _, stderr) = Run("export", "--weights", FixtureWeights, "--out", Path.Combine(_folder, "m.onnx"), "--image-size", size);

        Assert.Equal(ExportCommand.BadInput, exitCode);
        Assert.Contains($"--image-size {size}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_RequiresAnOutputPath()
    {
        var (exitCode, _, stderr) = Run("export", "--weights", FixtureWeights);

        Assert.Equal(ExportCommand.BadInput, exitCode);
        Assert.Equal("error: --out FILE is required", stderr.Trim());
    }

    [Fact]
    public void Export_OfARunsBestCheckpoint_WritesItsFamily_WithTheFlipOrWithout()
    {
        TorchRuntime.Initialize();
        var run = Path.Combine(_folder, "run");
        var trained = Fer.Training.Runs.TrainingRun.Create(new Fer.Training.Runs.TrainingOptions
        {
            DataPath = TestData.Fer2013Root, OutputDirectory = run, MaxImagesPerClass = 4, PhaseOneEpochs = 1, BatchSize = 8, ExportOnnx = false,
        }).Run();
        Assert.True(trained.Completed);

        var sizes = new List<long>();
        foreach (var flip in new[] { "true", "false" })
        {
            var output = Path.Combine(_folder, $"flip-{flip}.onnx");
            var (exitCode, stdout, stderr) = Run("export", "--run", run, "--tta", flip, "--out", output, "--model-version", "re-export");

            Assert.True(exitCode == ExportCommand.Ok, stdout + stderr);
            Assert.Contains($"test-time flip {(flip == "true" ? "True" : "False")}", stdout, StringComparison.Ordinal);
            Assert.Contains("parity passed", stdout, StringComparison.Ordinal);
            using var runtime = new OnnxRuntimeModel(File.ReadAllBytes(output));
            var info = runtime.ReadInfo();
            Assert.Equal(("cnn48", 48, "re-export"), (info.Family, info.ImageSize, info.Version));
            sizes.Add(new FileInfo(output).Length);
        }
        Assert.True(sizes[0] > sizes[1], "the flip adds nodes to the graph");
    }

    [Fact]
    public void Export_WithBothOrNeitherSource_IsOneLineError()
    {
        var (neither, _, error) = Run("export", "--out", Path.Combine(_folder, "m.onnx"));
        Assert.Equal(ExportCommand.BadInput, neither);
        Assert.Contains("--weights FILE or --run RUNDIR", error, StringComparison.Ordinal);
        var (both, _, _) = Run("export", "--weights", "w.pth", "--run", _folder, "--out", Path.Combine(_folder, "m.onnx"));
        Assert.Equal(ExportCommand.BadInput, both);
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var root = new RootCommand { ExportCommand.Create() };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = root.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (exitCode, stdout.ToString(), stderr.ToString());
    }
}
