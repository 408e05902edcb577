using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Fer.Contracts;
using Fer.Training.Networks;
using Fer.Training.Onnx;
using Fer.Training.Runs;
using Fer.Training.Torch;
using Fer.Training.Weights;

namespace Fer.Cli;

/// <summary>
/// <c>export --weights FILE --out model.onnx [--image-size S]</c>: FerNet with its backbone from a torchvision weight file
/// (head freshly initialised); <c>export --run RUNDIR --out model.onnx [--tta true|false]</c>: a run's best checkpoint
/// (to compare test-time flip on and off, say). Exported to ONNX, accepted only if ONNX Runtime matches TorchSharp on a
/// probe batch. Exit codes: 0 written, 1 bad input (one line on stderr), 2 parity gate failed (the numbers on stderr).
/// </summary>
public static class ExportCommand
{
    public const int Ok = 0, BadInput = 1, ParityFailed = 2;

    public static Command Create()
    {
        var weights = new Option<string>("--weights") { Description = "torchvision efficientnet_v2_s weights (.pth zip checkpoint or .safetensors)" };
        var output = new Option<string>("--out") { Description = "where to write the ONNX model" };
        var imageSize = new Option<int>("--image-size") { Description = "backbone input size S (a multiple of 32, at least 64)", DefaultValueFactory = _ => FerNet.DefaultImageSize };
        var probeData = new Option<string?>("--probe-data") { Description = "FER2013 folder with test/<class>/*.jpg for the parity probe (default: ../shared/data/fer2013 beside the repository)" };
        var version = new Option<string>("--model-version") { Description = "version recorded in the model's metadata", DefaultValueFactory = _ => "export" };
        var run = new Option<string?>("--run") { Description = "a run folder: export its best checkpoint (best.pt) instead of a weight file" };
        var testTimeFlip = new Option<bool?>("--tta") { Description = "with --run: the exported graph averages each image and its mirror (default: as the run did)" };

        var command = new Command("export", "Export FerNet (backbone from a weight file) or a run's best checkpoint to ONNX and check it against TorchSharp.")
        {
            weights, output, imageSize, probeData, version, run, testTimeFlip,
        };
        command.SetAction(parse => Execute(
            new ExportRequest(parse.GetValue(weights), parse.GetValue(output), parse.GetValue(imageSize), parse.GetValue(probeData), parse.GetValue(version) ?? "export",
                parse.GetValue(run), parse.GetValue(testTimeFlip)),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, TimeProvider.System));
        return command;
    }

    public static int Execute(ExportRequest request, TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        try
        {
            var probeRoot = ValidateAndLocateProbe(request);
            TorchRuntime.Initialize();
            var (model, fingerprint) = request.Run is { } runDirectory ? LoadRun(runDirectory, request.TestTimeFlip, stdout) : LoadWeights(request, stdout);
            using var _ = model;
            model.eval();

            var info = request.Run is null
                ? OnnxModelInfo.ForFerNet(request.Version, request.ImageSize, new Dictionary<string, double>(), fingerprint, time.GetUtcNow())
                : OnnxModelInfo.For(model, request.Version, new Dictionary<string, double>(), fingerprint, time.GetUtcNow());
            var probe = ProbeBatch.Create(probeRoot);
            VerifiedOnnxModel export;
            try
            {
                export = OnnxExport.ExportVerified(model, info, probe);
            }
            catch (OnnxParityException e)
            {
                stderr.Write(e.Report.Table());
                if (e.Report.Diagnosis() is { } why) stderr.WriteLine($"why: {why}");
                stderr.WriteLine($"error: {e.Report.Summary()}; nothing written");
                return ParityFailed;
            }

            stdout.Write(export.Parity.Table());
            stdout.WriteLine(export.Parity.Summary());
            WriteAtomically(request.Output!, export.Bytes);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {request.Output} ({export.Bytes.Length / 1e6:F1} MB, opset {OnnxContract.Opset}, image size {info.ImageSize}, sha256 {Convert.ToHexStringLower(SHA256.HashData(export.Bytes))})"));
            return Ok;
        }
        catch (Exception e) when (e is WeightFileException or ArgumentException or IOException or UnauthorizedAccessException or InvalidDataException or NotSupportedException or System.Text.Json.JsonException)
        {
            stderr.WriteLine($"error: {e.Message.ReplaceLineEndings(" ")}");
            return BadInput;
        }
    }

    private static (FaceNetwork Model, string Fingerprint) LoadWeights(ExportRequest request, TextWriter stdout)
    {
        var weights = StateDict.Read(request.Weights!);
        var model = new FerNet(request.ImageSize);
        var import = TorchvisionWeights.ImportBackbone(model, weights);
        foreach (var warning in import.Warnings) stdout.WriteLine($"warning: {warning}");
        stdout.WriteLine($"weights: {import.LoadedTensors} tensors ({import.LoadedValues:N0} values) from {import.Path} ({import.Format}); head freshly initialised");
        return (model, $"none (backbone weights sha256:{import.Sha256}, head untrained)");
    }

    private static (FaceNetwork Model, string Fingerprint) LoadRun(string runDirectory, bool? testTimeFlip, TextWriter stdout)
    {
        var checkpoint = Path.Combine(runDirectory, RunFiles.BestCheckpoint);
        if (!File.Exists(checkpoint)) throw new FileNotFoundException($"run folder '{runDirectory}' has no {RunFiles.BestCheckpoint}");
        var state = TrainingState.Read(runDirectory);
        var model = TrainingRun.CreateNetwork(state.Options);
        model.load(checkpoint);
        model.TestTimeFlip = testTimeFlip ?? state.Options.UsesTestTimeFlip;
        stdout.WriteLine($"checkpoint: {checkpoint} ({ModelFamilies.Id(state.Options.Family)}, test-time flip {model.TestTimeFlip})");
        return (model, state.TrainFingerprint);
    }

    private static string ValidateAndLocateProbe(ExportRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Weights) == string.IsNullOrWhiteSpace(request.Run))
            throw new ArgumentException("give --weights FILE or --run RUNDIR (one of them)");
        if (request.TestTimeFlip is not null && request.Run is null) throw new ArgumentException("--tta goes with --run");
        if (string.IsNullOrWhiteSpace(request.Output)) throw new ArgumentException("--out FILE is required");
        if (request.Weights is not null && !File.Exists(request.Weights)) throw new FileNotFoundException($"weights file '{request.Weights}' does not exist");
        if (request.Run is not null && !Directory.Exists(request.Run)) throw new DirectoryNotFoundException($"run folder '{request.Run}' does not exist");
        if (request.ImageSize < 64 || request.ImageSize % 32 != 0)
            throw new ArgumentException($"--image-size {request.ImageSize} is not a multiple of 32 of at least 64");
        if (Directory.Exists(request.Output)) throw new IOException($"--out '{request.Output}' is a directory; give a file name");

        var root = request.ProbeData
            ?? ProbeBatch.LocateFer2013(Directory.GetCurrentDirectory())
            ?? ProbeBatch.LocateFer2013(AppContext.BaseDirectory)
            ?? throw new DirectoryNotFoundException("no FER2013 probe images found beside the repository; pass --probe-data DIR");
        if (!Directory.Exists(Path.Combine(root, "test")))
            throw new DirectoryNotFoundException($"--probe-data '{root}' has no test/<class>/*.jpg images");
        return root;
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = $"{full}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, full, overwrite: true);
    }
}
