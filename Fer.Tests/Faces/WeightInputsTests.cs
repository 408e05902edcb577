using Fer.Faces.Detection;
using Microsoft.ML.OnnxRuntime;

namespace Fer.Tests.Faces;

public sealed class WeightInputsTests
{
    [Fact]
    public void Remove_LeavesOnlyTheImageAsInput_AndTheSameOutputs()
    {
        var published = File.ReadAllBytes(FaceDetectorFile.Bundled.Path);

        var edited = WeightInputs.Remove(published);

        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var before = new InferenceSession(published, options);
        using var after = new InferenceSession(edited, options);
        // ONNX Runtime lists weights that are also inputs as initializers a caller may override (so it cannot fold them).
        Assert.True(before.OverridableInitializerMetadata.Count > 200, $"{before.OverridableInitializerMetadata.Count} overridable weights in the published graph");
        Assert.Empty(after.OverridableInitializerMetadata);
        Assert.Equal(["input"], after.InputMetadata.Keys);
        var random = new Random(3);
        var input = new float[3 * 480 * 640];
        for (var i = 0; i < input.Length; i++) input[i] = random.NextSingle() * 2 - 1;
        foreach (var output in new[] { "scores", "boxes" })
        {
            var (a, b) = (Run(before, input, output), Run(after, input, output));
            Assert.Equal(a.Length, b.Length);
            // Folding batch normalisation into the convolutions changes float rounding, nothing more.
            Assert.True(a.Zip(b, (x, y) => Math.Abs(x - y)).Max() < 1e-4f, $"{output} differ");
        }
    }

    [Fact]
    public void Remove_ReturnsBytesThatAreNoModel_Unchanged()
    {
        byte[] bytes = [0x3a, 0x05, 0x01]; // field 7, length 5, but one byte follows

        Assert.Same(bytes, WeightInputs.Remove(bytes));
    }

    private static float[] Run(InferenceSession session, float[] input, string output)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(input, [1, 3, 480, 640]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["input"], [value], [output]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
