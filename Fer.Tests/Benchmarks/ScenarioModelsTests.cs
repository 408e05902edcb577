using Fer.Benchmarks;
using Fer.Imaging;
using Fer.Inference.Onnx;
using Fer.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;

namespace Fer.Tests.Benchmarks;

/// <summary>The rollout scenario's broken candidates, made from the bundled model and run in ONNX Runtime: they keep the
/// replica's contract, the shuffled one gives each class another class's probability, the failing one answers a flat
/// image (the replica's warm-up) as production does and fails on a real face, the slower one answers as production does
/// (how much slower it is, the scenario measures and prints; tests assert no speed).</summary>
public sealed class ScenarioModelsTests
{
    private static readonly byte[] Bundled = File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "Fer.Trainer", "BundledModel", "model.onnx"));

    [Fact]
    public void TheShuffledModel_GivesClassK_ProductionsProbabilityOfClassKPlus3()
    {
        var face = Face();
        var production = Run(Bundled, face);
        var shuffled = Run(ScenarioModels.Shuffled(Bundled), face);
        for (var k = 0; k < 7; k++) Assert.Equal(production[(k + 3) % 7], shuffled[k], 5);
        Assert.NotEqual(Array.IndexOf(production, production.Max()), Array.IndexOf(shuffled, shuffled.Max()));
    }

    [Fact]
    public void TheFailingModel_AnswersAFlatImageAsProductionDoes_AndFailsOnARealFace()
    {
        var failing = ScenarioModels.FailingOnFaces(Bundled);
        var flat = Enumerable.Repeat(0.5f, FaceImage.PixelCount).ToArray();
        var expected = Run(Bundled, flat);
        var actual = Run(failing, flat);
        for (var k = 0; k < 7; k++) Assert.Equal(expected[k], actual[k], 6);

        var error = Assert.Throws<OnnxRuntimeException>(() => Run(failing, Face()));
        Assert.Contains("out of", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TheSlowerModel_AnswersARealFaceAsProductionDoes()
    {
        var face = Face();
        var production = Run(Bundled, face);
        var slower = Run(ScenarioModels.Slower(Bundled, layers: 40), face);
        for (var k = 0; k < 7; k++) Assert.Equal(production[k], slower[k], 6);
    }

    [Fact]
    public void AFileWithoutALogitsNode_IsRefusedWithAReason()
    {
        var error = Assert.Throws<FormatException>(() => ScenarioModels.Shuffled([0x3A, 0x00])); // an empty graph (field 7)
        Assert.Contains("0 nodes make 'logits'", error.Message, StringComparison.Ordinal);
    }

    private static float[] Face() => FaceImageDecoder.Decode(File.ReadAllBytes(RepositoryPaths.FirstTestImage("happy"))).Pixels;

    /// <summary>Probabilities for one crop; the session's contract is the replica's (one input, probabilities and labels).</summary>
    private static float[] Run(byte[] onnx, float[] crop)
    {
        using var session = new InferenceSession(onnx);
        ModelDescription.Read(session, "v-test", "sha256:test");
        using var input = OrtValue.CreateTensorValueFromMemory(crop, [1, 1, FaceImage.Size, FaceImage.Size]);
        using var options = new RunOptions();
        using var outputs = session.Run(options, ["input"], [input], ["probabilities"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
