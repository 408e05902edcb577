using System.Diagnostics;
using System.Globalization;
using Fer.Imaging;
using Fer.Inference.Onnx;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace Fer.Benchmarks;

/// <summary>
/// The rollout scenario's slow candidate: production's file with as many of <see cref="ScenarioModels.Slower"/>'s extra
/// layers as make one face take <c>factor</c> times production's run time. Production's model is not known in advance
/// (the system serves whatever it trained), so the layers are sized here: both models timed on one real face in ONNX
/// Runtime sessions set up as a replica's, alternately, the medians compared.
/// </summary>
public static class SlowCandidate
{
    private const int ProbeLayers = 32, Runs = 40;

    /// <returns>The candidate's file and what the sizing measured, for the scenario's output.</returns>
    public static (byte[] Onnx, string Sizing) Make(byte[] production, byte[] faceJpeg, double factor)
    {
        var face = FaceImageDecoder.Decode(faceJpeg).Pixels;
        var sessions = new OnnxSessionFactory(Options.Create(new OnnxOptions { UseGpu = false }), NullLogger<OnnxSessionFactory>.Instance);
        var (productionMs, probeMs) = Medians(sessions, face, production, ScenarioModels.Slower(production, ProbeLayers));
        var perLayer = Math.Max((probeMs - productionMs) / ProbeLayers, 1e-3);
        var layers = (int)Math.Clamp(Math.Round((factor - 1) * productionMs / perLayer), 1, 10_000);
        var slow = ScenarioModels.Slower(production, layers);
        var (checkedProductionMs, slowMs) = Medians(sessions, face, production, slow);
        return (slow, string.Create(CultureInfo.InvariantCulture,
            $"{layers} extra layers ({perLayer:0.###} ms each); one face: {slowMs:0.##} ms against production's {checkedProductionMs:0.##} ms ({slowMs / checkedProductionMs:0.#}x; medians of {Runs} runs each, alternating, one thread as on a replica)"));
    }

    /// <summary>The median wall time of one face on each model, runs alternating so that both see the same moments of
    /// the machine.</summary>
    private static (double A, double B) Medians(OnnxSessionFactory sessions, float[] face, byte[] a, byte[] b)
    {
        using var first = sessions.Create(a);
        using var second = sessions.Create(b);
        var times = new[] { new List<double>(), new List<double>() };
        for (var i = -3; i < Runs; i++)
            for (var m = 0; m < 2; m++)
            {
                var elapsed = RunOnce(m == 0 ? first : second, face);
                if (i >= 0) times[m].Add(elapsed); // the first runs warm the session up
            }
        return (Median(times[0]), Median(times[1]));
    }

    private static double RunOnce(InferenceSession session, float[] face)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(face, [1, 1, FaceImage.Size, FaceImage.Size]);
        using var options = new RunOptions();
        var started = Stopwatch.GetTimestamp();
        using var outputs = session.Run(options, [session.InputNames[0]], [input], session.OutputNames);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
