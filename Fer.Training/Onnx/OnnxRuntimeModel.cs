using Fer.Contracts;
using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace Fer.Training.Onnx;

/// <summary>
/// An exported model loaded into ONNX Runtime (CPU), with the session tuned for throughput: all graph optimisations and
/// one intra-op thread per core. Run is thread-safe; inputs and outputs go through <see cref="OrtValue"/>.
/// </summary>
public sealed class OnnxRuntimeModel : IDisposable
{
    private static readonly string[] InputNames = [OnnxNames.Input];
    private static readonly string[] OutputNames = [OnnxNames.Logits, OnnxNames.Probabilities];

    private readonly InferenceSession _session;
    private readonly long[] _sampleShape;

    public OnnxRuntimeModel(byte[] model, int? intraOpThreads = null)
    {
        using var options = CreateSessionOptions(intraOpThreads);
        _session = new InferenceSession(model, options);
        if (!_session.InputMetadata.TryGetValue(OnnxNames.Input, out var input))
        {
            _session.Dispose();
            throw new InvalidDataException($"The ONNX model has no input named '{OnnxNames.Input}'.");
        }
        _sampleShape = input.Dimensions.Skip(1).Select(d => (long)d).ToArray();
        Metadata = new Dictionary<string, string>(_session.ModelMetadata.CustomMetadataMap);
    }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public IReadOnlyList<long> SampleShape => _sampleShape;

    public long SampleLength => _sampleShape.Aggregate(1L, (a, b) => a * b);

    public OnnxModelInfo ReadInfo() => OnnxModelInfo.FromMetadata(Metadata);

    public static SessionOptions CreateSessionOptions(int? intraOpThreads = null) => new()
    {
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        IntraOpNumThreads = intraOpThreads ?? Environment.ProcessorCount,
    };

    /// <summary>Runs a batch; <paramref name="input"/> holds <paramref name="batch"/> samples back to back.</summary>
    public OnnxRuntimeOutputs Run(float[] input, int batch, CancellationToken cancellationToken = default)
    {
        if (batch < 1 || input.Length != batch * SampleLength)
            throw new ArgumentException($"Expected {batch} x {SampleLength} input values, got {input.Length}.", nameof(input));

        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, [batch, .. _sampleShape]);
        using var results = _session.Run(runOptions, InputNames, [inputValue], OutputNames);
        var logits = results[0].GetTensorDataAsSpan<float>().ToArray();
        var probabilities = results[1].GetTensorDataAsSpan<float>().ToArray();
        return new OnnxRuntimeOutputs(logits, probabilities, batch, logits.Length / batch);
    }

    /// <summary>Each sample's probabilities, run in batches of <paramref name="batch"/>.</summary>
    public List<float[]> Probabilities(IReadOnlyList<float[]> samples, int batch = 64, CancellationToken cancellationToken = default)
    {
        var rows = new List<float[]>(samples.Count);
        for (var start = 0; start < samples.Count; start += batch)
        {
            var count = Math.Min(batch, samples.Count - start);
            var outputs = Run([.. samples.Skip(start).Take(count).SelectMany(s => s)], count, cancellationToken);
            for (var i = 0; i < count; i++) rows.Add(outputs.Probabilities.AsSpan(i * outputs.Classes, outputs.Classes).ToArray());
        }
        return rows;
    }

    public void Dispose() => _session.Dispose();
}
