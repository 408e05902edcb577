using Fer.Imaging;
using Microsoft.ML.OnnxRuntime;

namespace Fer.Faces.Detection;

/// <summary>
/// UltraFace on ONNX Runtime: one long-lived session shared by every caller (Run is thread-safe), one intra-op thread a
/// run so that concurrent requests use the cores side by side. Its graph fixes the batch at one image.
/// </summary>
public sealed class UltraFaceDetector : IDisposable
{
    public const int InputWidth = 320;
    public const int InputHeight = 240;

    private static readonly long[] InputShape = [1, 3, InputHeight, InputWidth];

    [ThreadStatic] private static float[]? threadInput;

    private readonly InferenceSession session;

    /// <param name="file">The detector's file, checked against its SHA-256 before ONNX Runtime sees it.</param>
    /// <param name="options">Session options; null: one intra-op thread, full graph optimisation, CPU.</param>
    public UltraFaceDetector(FaceDetectorFile file, SessionOptions? options = null)
    {
        var bytes = file.ReadVerified();
        using var defaults = options is null ? DefaultOptions() : null;
        try
        {
            session = new InferenceSession(bytes, options ?? defaults!);
        }
        catch (OnnxRuntimeException e)
        {
            throw new FaceDetectorException($"ONNX Runtime refused the face detector {file.Path}: {e.Message}", e);
        }
        File = file;
    }

    public FaceDetectorFile File { get; }

    /// <summary>The detector's name for people: the file's name without extension.</summary>
    public string Name => "UltraFace " + Path.GetFileNameWithoutExtension(File.Path).Replace("version-", "", StringComparison.Ordinal);

    /// <summary>Every face scoring at least <paramref name="scoreThreshold"/>, overlaps above <paramref name="iouThreshold"/>
    /// suppressed, best score first; boxes in the image's pixels.</summary>
    public List<FaceBox> Detect(GrayImage image, float scoreThreshold = 0.7f, float iouThreshold = 0.3f)
    {
        var letterbox = Letterbox.Fit(image.Width, image.Height, InputWidth, InputHeight);
        var input = threadInput ??= new float[3 * InputWidth * InputHeight];
        DetectorInput.Fill(image, letterbox, InputWidth, InputHeight, input);

        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, InputShape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input"], [inputValue], ["scores", "boxes"]);
        var boxes = UltraFaceOutput.Decode(outputs[0].GetTensorDataAsSpan<float>(), outputs[1].GetTensorDataAsSpan<float>(),
            scoreThreshold, InputWidth, InputHeight, letterbox);
        return NonMaximumSuppression.Apply(boxes, iouThreshold);
    }

    public void Dispose() => session.Dispose();

    private static SessionOptions DefaultOptions()
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }
}
