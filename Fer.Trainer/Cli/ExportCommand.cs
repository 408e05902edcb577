using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Fer.Training.Networks;
using Fer.Training.Onnx;
using Fer.Training.Torch;
using Fer.Training.Weights;

namespace Fer.Trainer.Cli;

/// <summary>
/// <c>export --weights FILE --out model.onnx [--image-size S]</c>: FerNet with its backbone from a torchvision weight file
/// (head freshly initialised), exported to ONNX, accepted only if ONNX Runtime matches TorchSharp on a probe batch.
/// Exit codes: 0 written, 1 bad input (one line on stderr), 2 parity gate failed (the numbers on stderr).
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

        var command = new Command("export", "Export FerNet (backbone from a weight file) to ONNX and check it against TorchSharp.")
        {
            weights, output, imageSize, probeData, version,
        };
        command.SetAction(parse => Execute(
            new ExportRequest(parse.GetValue(weights), parse.GetValue(output), parse.GetValue(imageSize), parse.GetValue(probeData), parse.GetValue(version) ?? "export"),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, TimeProvider.System));
        return command;
    }

    public static int Execute(ExportRequest request, TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        try
        {
            var probeRoot = ValidateAndLocateProbe(request);
            TorchRuntime.Initialize();
            var weights = StateDict.Read(request.Weights!);
            using var model = new FerNet(request.ImageSize);
            var import = TorchvisionWeights.ImportBackbone(model, weights);
            foreach (var warning in import.Warnings) stdout.WriteLine($"warning: {warning}");
            stdout.WriteLine($"weights: {import.LoadedTensors} tensors ({import.LoadedValues:N0} values) from {import.Path} ({import.Format}); head freshly initialised");
            model.eval();

            var info = OnnxModelInfo.ForFerNet(request.Version, request.ImageSize, new Dictionary<string, double>(),
                datasetFingerprint: $"none (backbone weights sha256:{import.Sha256}, head untrained)", time.GetUtcNow());
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
                $"wrote {request.Output} ({export.Bytes.Length / 1e6:F1} MB, opset {OnnxContract.Opset}, image size {request.ImageSize}, sha256 {Convert.ToHexStringLower(SHA256.HashData(export.Bytes))})"));
            return Ok;
        }
        catch (Exception e) when (e is WeightFileException or ArgumentException or IOException or UnauthorizedAccessException or InvalidDataException or NotSupportedException)
        {
            stderr.WriteLine($"error: {e.Message.ReplaceLineEndings(" ")}");
            return BadInput;
        }
    }

    private static string ValidateAndLocateProbe(ExportRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Weights)) throw new ArgumentException("--weights FILE is required");
        if (string.IsNullOrWhiteSpace(request.Output)) throw new ArgumentException("--out FILE is required");
        if (!File.Exists(request.Weights)) throw new FileNotFoundException($"weights file '{request.Weights}' does not exist");
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
