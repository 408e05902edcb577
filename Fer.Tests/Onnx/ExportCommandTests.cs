using System.CommandLine;
using System.Runtime.InteropServices;
using Fer.Trainer.Cli;
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

    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var root = new RootCommand { ExportCommand.Create() };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = root.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (exitCode, stdout.ToString(), stderr.ToString());
    }
}
