using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Fer.Training.Networks;
using Fer.Training.Torch;
using Fer.Training.Weights;
using static TorchSharp.torch;

namespace Fer.Tests.Weights;

public sealed class WeightFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fer-weights-").FullName;

    public WeightFileTests() => TorchRuntime.Initialize();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Read_FailsClearly_ForAMissingFile()
    {
        var error = Assert.Throws<WeightFileException>(() => StateDict.Read(Temp("nope.pth")));
        Assert.Contains("no such weight file", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9999)]
    public void Read_SaysTruncated_ForACutCheckpoint(double keptFraction)
    {
        var original = File.ReadAllBytes(ReferenceFixture.WeightFile);
        var path = Temp("cut.pth");
        File.WriteAllBytes(path, original[..(int)(original.Length * keptFraction)]);

        var error = Assert.Throws<WeightFileException>(() => StateDict.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("posix", "system")]
    [InlineData("os", "system")]
    [InlineData("builtins", "eval")]
    [InlineData("subprocess", "Popen")]
    [InlineData("torch", "load")]
    public void Read_RefusesAPickleThatAsksForAnyOtherGlobal_AndRunsNothing(string module, string name)
    {
        var sentinel = Temp("pwned");
        var path = Checkpoint("evil.pth", [0x80, 2, .. Pickle.Global(module, name)], Pickle.Unicode($"touch {sentinel}"), [0x85, (byte)'R', (byte)'.']);

        var error = Assert.Throws<WeightFileException>(() => StateDict.Read(path));

        Assert.Contains($"'{module}.{name}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("never executes code", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(sentinel));
    }

    [Fact]
    public void Read_RefusesAStackGlobal_OfProtocolFour_Too()
    {
        // SHORT_BINUNICODE "os", SHORT_BINUNICODE "system", STACK_GLOBAL
        var path = Checkpoint("evil4.pth", [0x80, 4, 0x8c, 2, .. "os"u8, 0x8c, 6, .. "system"u8, 0x93, (byte)'.']);

        var error = Assert.Throws<WeightFileException>(() => StateDict.Read(path));

        Assert.Contains("'os.system'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesOpcodesAStateDictNeverUses()
    {
        // NEWOBJ (0x81) builds an instance of a class: not something a state_dict needs.
        var path = Checkpoint("newobj.pth", [0x80, 2, .. Pickle.Global("collections", "OrderedDict"), (byte)')', 0x81, (byte)'.']);

        var error = Assert.Throws<WeightFileException>(() => StateDict.Read(path));

        Assert.Contains("opcode 0x81", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FailsClearly_ForFilesThatAreNeitherFormat()
    {
        var text = Temp("notes.pth");
        File.WriteAllText(text, "these are not weights");
        var zip = Checkpoint("no-pickle.pth", null);

        Assert.Contains("neither a torch.save zip checkpoint nor a safetensors file", Assert.Throws<WeightFileException>(() => StateDict.Read(text)).Message, StringComparison.Ordinal);
        Assert.Contains("without data.pkl", Assert.Throws<WeightFileException>(() => StateDict.Read(zip)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Safetensors_RoundTrip_KeepsNamesTypesShapesAndBytes()
    {
        var path = Temp("small.safetensors");
        var half = new StoredTensor(TensorDataType.Float16, [2, 2], [0x00, 0x3c, 0x00, 0x40, 0x00, 0xc2, 0x00, 0x00]);   // 1, 2, -3, 0
        var counter = new StoredTensor(TensorDataType.Int64, [], BitConverter.GetBytes(7L));
        SafetensorsFile.Write(path, [new("a.weight", half), new("a.num_batches_tracked", counter), new("b", StoredTensor.FromSingles([0.5f, -1.5f], 2))]);

        var read = StateDict.Read(path);

        Assert.Equal(WeightFileFormat.Safetensors, read.Format);
        Assert.Equal(["a.weight", "a.num_batches_tracked", "b"], read.Keys);
        Assert.Equal([1f, 2f, -3f, 0f], read["a.weight"].ToSingles());
        Assert.Equal([2L, 2L], read["a.weight"].Shape);
        Assert.Equal([7L], read["a.num_batches_tracked"].ToInt64s());
        Assert.Equal([0.5f, -1.5f], read["b"].ToSingles());
        Assert.Equal(64, read.Sha256.Length);
    }

    [Fact]
    public void Read_SaysTruncated_ForACutSafetensorsFile()
    {
        var path = Temp("cut.safetensors");
        SafetensorsFile.Write(path, [new("w", StoredTensor.FromSingles(new float[1000], 10, 100))]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^100]);

        var error = Assert.Throws<WeightFileException>(() => StateDict.Read(path));

        Assert.Contains("'w'", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportBackbone_NamesTheKeyAndBothShapes_ForAWrongShape_AndLeavesTheModelUntouched()
    {
        using var scope = NewDisposeScope();
        using var net = new FerNet(64);
        var before = net.state_dict()["features.0.0.weight"].clone();
        var path = Temp("wrong-shape.safetensors");
        SafetensorsFile.Write(path, [new("features.0.0.weight", StoredTensor.FromSingles(new float[24 * 3 * 5 * 5], 24, 3, 5, 5))]);

        var error = Assert.Throws<WeightFileException>(() => TorchvisionWeights.ImportBackbone(net, path));

        Assert.Contains("'features.0.0.weight' is [24, 3, 5, 5] in the file but [24, 3, 3, 3] in the model", error.Message, StringComparison.Ordinal);
        Assert.True(net.state_dict()["features.0.0.weight"].eq(before).all().item<bool>());
    }

    [Fact]
    public void ImportBackbone_ListsMissingBackboneTensors_AndLeavesTheModelUntouched()
    {
        using var scope = NewDisposeScope();
        using var net = new FerNet(64);
        var before = net.state_dict()["features.0.0.weight"].clone();
        var path = Temp("partial.safetensors");
        SafetensorsFile.Write(path, [new("features.0.0.weight", StoredTensor.FromSingles(new float[24 * 3 * 3 * 3], 24, 3, 3, 3))]);

        var error = Assert.Throws<WeightFileException>(() => TorchvisionWeights.ImportBackbone(net, path));

        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("features.0.1.weight", error.Message, StringComparison.Ordinal);
        Assert.True(net.state_dict()["features.0.0.weight"].eq(before).all().item<bool>());
    }

    [Fact]
    public void ImportBackbone_RejectsKeysOfAnotherModel()
    {
        using var net = new FerNet(64);
        var path = Temp("resnet.safetensors");
        SafetensorsFile.Write(path, [new("conv1.weight", StoredTensor.FromSingles(new float[8], 8)), new("features.99.weight", StoredTensor.FromSingles(new float[8], 8))]);

        var error = Assert.Throws<WeightFileException>(() => TorchvisionWeights.ImportBackbone(net, path));

        Assert.Contains("conv1.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportBackbone_FromSafetensors_LoadsEveryBackboneTensor_AndLeavesTheHeadAlone()
    {
        using var scope = NewDisposeScope();
        using var source = new FerNet(64);
        using var target = new FerNet(64);
        var path = Temp("ours.safetensors");
        SafetensorsFile.Write(path, source.state_dict().Where(e => e.Key.StartsWith("features.", StringComparison.Ordinal))
            .Select(e => KeyValuePair.Create(e.Key, ToStored(e.Value))));
        var head = target.state_dict()["classifier.1.weight"].clone();

        var report = TorchvisionWeights.ImportBackbone(target, path);

        Assert.Equal(780, report.LoadedTensors);
        Assert.Equal(20_177_488 + CountBuffers(source), report.LoadedValues);   // backbone parameters + BatchNorm buffers
        Assert.False(report.IsOfficial);
        Assert.True(target.state_dict()["features.6.14.block.3.1.running_var"].eq(source.state_dict()["features.6.14.block.3.1.running_var"]).all().item<bool>());
        Assert.True(target.state_dict()["features.0.0.weight"].eq(source.state_dict()["features.0.0.weight"]).all().item<bool>());
        Assert.True(target.state_dict()["classifier.1.weight"].eq(head).all().item<bool>());
    }

    [Fact]
    public void Read_HandlesWhatTorchSaveWrites_ViewsOffsetsStridesAndModuleStateDicts()
    {
        var views = Temp("views.pth");
        var module = Temp("module.pth");
        var legacy = Temp("legacy.pth");
        RunPython($$"""
            import torch
            base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
            torch.save({"t": base.t(), "v": base[1:, 1:3], "h": base.half()[::2, ::3], "n": torch.tensor(5)}, "{{views}}")
            torch.manual_seed(0)
            net = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4))
            net[1].running_var.fill_(2.5)
            torch.save(net.state_dict(), "{{module}}")   # an OrderedDict carrying _metadata, like torchvision's files
            torch.save(net.state_dict(), "{{legacy}}", _use_new_zipfile_serialization=False)
            """);

        var read = StateDict.Read(views);
        var state = StateDict.Read(module);

        Assert.Equal([4L, 3L], read["t"].Shape);
        Assert.Equal([0f, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11], read["t"].ToSingles());
        Assert.Equal([5f, 6, 9, 10], read["v"].ToSingles());
        Assert.Equal(TensorDataType.Float16, read["h"].DataType);
        Assert.Equal([0f, 3, 8, 11], read["h"].ToSingles());
        Assert.Equal([5L], read["n"].ToInt64s());
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"], state.Keys);
        Assert.Equal(TensorDataType.Float32, state["0.weight"].DataType);
        Assert.Equal([4L, 3, 3, 3], state["0.weight"].Shape);
        Assert.Equal([2.5f, 2.5f, 2.5f, 2.5f], state["1.running_var"].ToSingles());
        Assert.Contains("legacy", Assert.Throws<WeightFileException>(() => StateDict.Read(legacy)).Message, StringComparison.Ordinal);
    }

    private static long CountBuffers(FerNet net) => net.named_buffers()
        .Where(b => b.name.StartsWith("features.", StringComparison.Ordinal)).Sum(b => b.buffer.numel());

    private static StoredTensor ToStored(Tensor tensor)
    {
        if (tensor.dtype == ScalarType.Int64)
            return new StoredTensor(TensorDataType.Int64, tensor.shape, tensor.data<long>().ToArray().SelectMany(BitConverter.GetBytes).ToArray());
        return StoredTensor.FromSingles(tensor.contiguous().data<float>().ToArray(), tensor.shape);
    }

    private string Temp(string name) => Path.Combine(_directory, name);

    /// <summary>A torch.save-shaped zip holding the given pickle (none: no data.pkl at all).</summary>
    private string Checkpoint(string name, byte[]? pickle, params byte[][] more)
    {
        var path = Temp(name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        if (pickle is not null)
        {
            using var stream = zip.CreateEntry("archive/data.pkl", CompressionLevel.NoCompression).Open();
            stream.Write(pickle);
            foreach (var part in more) stream.Write(part);
        }
        using (var version = zip.CreateEntry("archive/version").Open()) version.Write("3\n"u8);
        return path;
    }

    private static void RunPython(string script)
    {
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", script])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"python failed: {errors}");
    }

    private static class Pickle
    {
        public static byte[] Global(string module, string name) => [(byte)'c', .. Encoding.ASCII.GetBytes($"{module}\n{name}\n")];

        public static byte[] Unicode(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            return [(byte)'X', .. BitConverter.GetBytes(bytes.Length), .. bytes];
        }
    }
}
