using Fer.Imaging;
using Microsoft.ML.OnnxRuntime;

namespace Fer.Faces.Detection;

/// <summary>
/// UltraFace on ONNX Runtime: one long-lived session shared by every caller (Run is thread-safe), one intra-op thread a
/// run so that concurrent requests use the cores side by side. Its graph fixes the batch at one image and the input size,
/// which is read from the graph (640x480 for the shipped RFB-640, 320x240 for RFB-320).
/// </summary>
public sealed class UltraFaceDetector : IDisposable
{
    private readonly InferenceSession session;
    private readonly long[] inputShape;
    private readonly ThreadLocal<float[]> threadInput;

    /// <param name="file">The detector's file, checked against its SHA-256 before ONNX Runtime sees it.</param>
    /// <param name="options">Session options; null: one intra-op thread, full graph optimisation, CPU.</param>
    public UltraFaceDetector(FaceDetectorFile file, SessionOptions? options = null)
    {
        var bytes = file.ReadVerified();
        using var defaults = options is null ? DefaultOptions() : null;
        try
        {
            session = new InferenceSession(WeightInputs.Remove(bytes), options ?? defaults!);
        }
        catch (OnnxRuntimeException e)
        {
            throw new FaceDetectorException($"ONNX Runtime refused the face detector {file.Path}: {e.Message}", e);
        }
        File = file;
        (InputWidth, InputHeight) = ReadInputSize(session, file);
        inputShape = [1, 3, InputHeight, InputWidth];
        threadInput = new ThreadLocal<float[]>(() => new float[3 * InputWidth * InputHeight]);
    }

    public FaceDetectorFile File { get; }

    /// <summary>The width of the detector's fixed input, which every image is letterboxed into.</summary>
    public int InputWidth { get; }

    public int InputHeight { get; }

    /// <summary>The detector's name for people: the file's name without extension.</summary>
    public string Name => "UltraFace " + Path.GetFileNameWithoutExtension(File.Path).Replace("version-", "", StringComparison.Ordinal);

    /// <summary>Every face scoring at least <paramref name="scoreThreshold"/>, overlaps above <paramref name="iouThreshold"/>
    /// suppressed, best score first; boxes in the image's pixels.</summary>
    public List<FaceBox> Detect(GrayImage image, float scoreThreshold = 0.7f, float iouThreshold = 0.3f)
    {
        var letterbox = Letterbox.Fit(image.Width, image.Height, InputWidth, InputHeight);
        var input = threadInput.Value!;
        DetectorInput.Fill(image, letterbox, InputWidth, InputHeight, input);

        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, inputShape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input"], [inputValue], ["scores", "boxes"]);
        var boxes = UltraFaceOutput.Decode(outputs[0].GetTensorDataAsSpan<float>(), outputs[1].GetTensorDataAsSpan<float>(),
            scoreThreshold, InputWidth, InputHeight, letterbox);
        return NonMaximumSuppression.Apply(boxes, iouThreshold);
    }

    public void Dispose()
    {
        session.Dispose();
        threadInput.Dispose();
    }

    /// <summary>The input's height and width from the graph's <c>input</c> [1, 3, H, W], which UltraFace fixes.</summary>
    private static (int Width, int Height) ReadInputSize(InferenceSession session, FaceDetectorFile file)
    {
        if (session.InputMetadata.TryGetValue("input", out var input) && input.Dimensions is [1, 3, > 0 and var height, > 0 and var width])
            return (width, height);
        session.Dispose();
        throw new FaceDetectorException($"the face detector {file.Path} has no fixed input 'input' [1, 3, H, W]: not an UltraFace graph");
    }

    /// <summary>What the detector runs with unless told otherwise: full graph optimisation, one intra-op thread, no spinning, the CPU.</summary>
    public static SessionOptions DefaultOptions()
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            // Warnings are about the published file, not about a run; errors still surface.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }
}
