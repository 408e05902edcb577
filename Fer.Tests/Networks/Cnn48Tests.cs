using System.Diagnostics;
using Fer.Training.Networks;
using Fer.Training.Torch;
using static TorchSharp.torch;

namespace Fer.Tests.Networks;

public sealed class Cnn48Tests
{
    public Cnn48Tests() => TorchRuntime.Initialize();

    [Fact]
    public void ParameterCount_IsWhatItsLayersHold()
    {
        using var net = new Cnn48();

        // Convolutions without bias plus BatchNorm scale and shift, per stage; then the 3x3 x 128 flatten -> 256 -> 7 head.
        long expected = 0, channels = 1;
        foreach (var (width, depth) in Cnn48.DefaultWidths.Zip(Cnn48.DefaultDepths))
            for (var d = 0; d < depth; d++, channels = width)
                expected += channels * width * 9 + 2 * width;
        expected += channels * 3 * 3 * Cnn48.DefaultHidden + Cnn48.DefaultHidden + 2 * Cnn48.DefaultHidden + Cnn48.DefaultHidden * 7 + 7;
        Assert.Equal(expected, FerNetParameters.Count(net));
        Assert.Equal(588_855, expected);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Forward_GivesOneLogitPerClass_ForEveryImage(int batch)
    {
        using var net = new Cnn48();
        net.eval();
        using var noGrad = no_grad();

        using var logits = net.call(rand(batch, 1, 48, 48));

        Assert.Equal([batch, 7], logits.shape);
    }

    [Fact]
    public void Forward_RefusesAnImageThatIsNot48Pixels()
    {
        using var net = new Cnn48();

        var error = Assert.Throws<ArgumentException>(() => net.call(rand(1, 1, 64, 64)));

        Assert.Contains("48x48", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TestTimeFlip_InEvalMode_IsTheMeanOfTheImageAndItsMirror()
    {
        using var net = new Cnn48();
        net.eval();
        using var noGrad = no_grad();
        using var input = rand(3, 1, 48, 48);
        using var plain = net.Logits(input);
        using var mirrored = net.Logits(input.flip(3));

        net.TestTimeFlip = true;
        using var averaged = net.call(input);

        Assert.True(averaged.allclose((plain + mirrored) / 2, rtol: 1e-5, atol: 1e-6));
        Assert.False(averaged.allclose(plain, rtol: 1e-3, atol: 1e-4), "a random network scores an image and its mirror differently");
    }

    [Fact]
    public void StateDictNames_AreThoseOfTheSameNetworkInPyTorch()
    {
        using var net = new Cnn48();
        var ours = net.state_dict().Select(p => $"{p.Key} {string.Join("x", p.Value.shape)}".Trim()).Order(StringComparer.Ordinal).ToList();

        var reference = PyTorchStateDict();

        Assert.Equal(reference, ours);
    }

    /// <summary>The keys and shapes of Fer.Benchmarks/TrainingReference.py's cnn48 (Debian's PyTorch 1.13).</summary>
    private static List<string> PyTorchStateDict()
    {
        var script = Path.Combine(Infrastructure.RepositoryPaths.Root, "Fer.Benchmarks", "TrainingReference.py");
        var code = "import importlib.util,sys; s=importlib.util.spec_from_file_location('r',sys.argv[1]); m=importlib.util.module_from_spec(s); s.loader.exec_module(m); "
                   + $"[print(k, 'x'.join(str(d) for d in v.shape)) for k,v in m.cnn48([{string.Join(",", Cnn48.DefaultWidths)}],[{string.Join(",", Cnn48.DefaultDepths)}]).state_dict().items()]";
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", code, script }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, errors);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).Order(StringComparer.Ordinal).ToList();
    }
}
