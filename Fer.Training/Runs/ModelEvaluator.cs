using Fer.Imaging;
using Fer.Training.Data;
using Fer.Training.Networks;
using static TorchSharp.torch;

namespace Fer.Training.Runs;

/// <summary>Runs the whole network (eval mode, no gradients) over a data set: class probabilities per image.</summary>
public static class ModelEvaluator
{
    public static float[][] Predict(FaceNetwork model, FaceDataset data, int batchSize, CancellationToken cancellationToken = default)
    {
        var device = model.parameters().First().device;
        var wasTraining = model.training;
        model.eval();
        try
        {
            var probabilities = new List<float[]>(data.Count);
            foreach (var batch in new BatchLoader(data, batchSize, seed: 0).Epoch(0, BatchContent.Plain, cancellationToken))
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var input = tensor(batch.Pixels, [batch.Count, 1, FaceImage.Size, FaceImage.Size]).to(device);
                probabilities.AddRange(Rows(nn.functional.softmax(model.call(input), 1)));
            }
            return probabilities.ToArray();
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>The rows of a [N, K] tensor as arrays.</summary>
    public static IEnumerable<float[]> Rows(Tensor matrix)
    {
        var flat = matrix.to(ScalarType.Float32).cpu().data<float>().ToArray();
        var k = (int)matrix.shape[1];
        for (var i = 0; i < flat.Length / k; i++) yield return flat.AsSpan(i * k, k).ToArray();
    }
}
