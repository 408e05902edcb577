using System.Diagnostics;

namespace Fer.Tests.Onnx;

/// <summary>Runs the official ONNX checker (Debian's python3-onnx, full_check: types and shapes inferred) on a file.</summary>
public static class OnnxChecker
{
    public const string Python = "/usr/bin/python3";

    private const string Script = "import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True); print('ok', onnx.__version__)";

    public static (int ExitCode, string Output) Check(string path)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", Script, path }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Python}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            throw new TimeoutException("The ONNX checker did not finish within two minutes.");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    public static void AssertValid(byte[] model)
    {
        var path = Path.Combine(Path.GetTempPath(), $"fer-onnx-check-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, model);
        try
        {
            var (exitCode, output) = Check(path);
            Assert.True(exitCode == 0, $"onnx.checker rejected the model (exit {exitCode}): {output}");
            Assert.StartsWith("ok", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
