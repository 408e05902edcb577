using Fer.Imaging;
using Microsoft.ML.OnnxRuntime;

namespace Fer.Inference.Onnx;

/// <summary>
/// One model version in memory: a long-lived session shared by every batch (Run is thread-safe) and what the file says
/// about itself. Reference-counted: whoever holds it for a run takes a reference, and the session is disposed when the
/// last one is released, so a swap never pulls a session out from under a running batch.
/// </summary>
public sealed class OnnxModel
{
    private readonly InferenceSession session;
    private readonly string[] inputNames;
    private readonly string[] outputNames;
    private int references = 1;

    public OnnxModel(InferenceSession session, ModelDescription description, string sourceKey)
    {
        this.session = session;
        Description = description;
        SourceKey = sourceKey;
        inputNames = [description.InputName];
        outputNames = [.. description.OutputNames];
    }

    public ModelDescription Description { get; }

    public string Version => Description.Version;

    /// <summary>What the model source calls this model (the registry version, or the file's checksum).</summary>
    public string SourceKey { get; }

    public bool IsDisposed => Volatile.Read(ref references) == 0;

    /// <summary>Takes a reference for one run; false once the model has been released for good.</summary>
    public bool TryAddReference()
    {
        while (true)
        {
            var current = Volatile.Read(ref references);
            if (current == 0) return false;
            if (Interlocked.CompareExchange(ref references, current + 1, current) == current) return true;
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref references) == 0) session.Dispose();
    }

    /// <summary>Runs <paramref name="batchSize"/> canonical face crops laid end to end in <paramref name="input"/>.
    /// Cancelling terminates the run inside ONNX Runtime.</summary>
    public ModelOutputs Run(float[] input, int batchSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (input.Length < batchSize * FaceImage.PixelCount)
            throw new ArgumentException($"{batchSize} images need {batchSize * FaceImage.PixelCount} values, got {input.Length}", nameof(input));

        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
            input.AsMemory(0, batchSize * FaceImage.PixelCount), [batchSize, .. ModelDescription.SampleShape]);
        try
        {
            using var outputs = session.Run(runOptions, inputNames, [inputValue], outputNames);
            var probabilities = outputs[0];
            var shape = probabilities.GetTensorTypeAndShape().Shape;
            if (shape.Length != 2 || shape[0] != batchSize || shape[1] != Description.Labels.Count)
                throw new InvalidOperationException(
                    $"model {Version} answered a batch of {batchSize} with probabilities of shape [{string.Join(",", shape)}]");
            var classes = (int)shape[1];
            var logits = outputNames.Length > 1 ? outputs[1].GetTensorDataAsSpan<float>().ToArray() : null;
            return new ModelOutputs(batchSize, classes, probabilities.GetTensorDataAsSpan<float>().ToArray(), logits);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }
}
