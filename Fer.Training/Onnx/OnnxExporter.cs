using System.Reflection;
using Fer.Contracts;
using Fer.Training.Networks;
using Fer.Training.Onnx.Proto;
using TorchSharp;
using static TorchSharp.torch;

namespace Fer.Training.Onnx;

/// <summary>
/// Writes eval-mode TorchSharp models as ONNX (opset <see cref="OnnxContract.Opset"/>): input <c>input</c> with a symbolic
/// batch dimension, outputs <c>logits</c> and <c>probabilities</c> (Softmax over the classes), metadata from
/// <see cref="OnnxModelInfo"/>. The caller should pass the result through <see cref="OnnxParityGate"/> before using it.
/// </summary>
public static class OnnxExporter
{
    /// <summary>Exports a module built from supported layers (see <see cref="ModuleGraphEmitter"/>) that maps the info's
    /// input to one score per label.</summary>
    public static byte[] Export(nn.Module<Tensor, Tensor> module, OnnxModelInfo info)
    {
        CheckOutputWidth(module, info);
        var graph = new OnnxGraphBuilder();
        var input = AddInput(graph, info.Input);
        var logits = new ModuleGraphEmitter(graph).Emit(module, input, "");
        return Finish(graph, logits, info, module.GetType().Name);
    }

    /// <summary>
    /// Exports a network family. FerNet: the in-network preprocessing as ONNX ops, EfficientNetV2-S with every BatchNorm
    /// folded into its convolution, global average pooling, and the head as Gemm/Relu with each BatchNorm1d folded into
    /// the next Linear. Cnn48: its convolutions (BatchNorm folded in), max pools and head. With
    /// <see cref="FaceNetwork.TestTimeFlip"/> the graph runs each image and its mirror as one batch of 2N and returns the
    /// mean of the two logits, as the network does in eval mode.
    /// </summary>
    public static byte[] Export(FaceNetwork model, OnnxModelInfo info)
    {
        if (info.ImageSize != model.ImageSize)
            throw new ArgumentException($"The metadata says image size {info.ImageSize}, the model is built for {model.ImageSize}.", nameof(info));
        if (!info.Input.SampleShape().SequenceEqual([FaceNetwork.InputChannels, ModelInput.CropSize, ModelInput.CropSize]))
            throw new ArgumentException($"{model.GetType().Name} takes [N,1,48,48]; the metadata's input is [{string.Join(",", info.Input.Shape)}].", nameof(info));
        CheckOutputWidth(model, info);

        var graph = new OnnxGraphBuilder();
        var emitter = new ModuleGraphEmitter(graph);
        var input = AddInput(graph, info.Input);
        var value = model.TestTimeFlip ? WithMirrorImages(graph, input) : input;
        if (model is FerNet ferNet) value = Preprocess(graph, value, ferNet.ImageSize);
        foreach (var (name, unit) in model.Units) value = emitter.Emit(unit, value, name);
        if (model is FerNet)
        {
            value = graph.AddNode("GlobalAveragePool", "avgpool", [value]);
            value = graph.AddNode("Flatten", "flatten", [value], OnnxAttribute.Of("axis", 1L));
        }
        value = emitter.Emit(model.Classifier, value, "classifier");
        if (model.TestTimeFlip) value = MeanOverMirrorImages(graph, value, model.NumClasses);
        return Finish(graph, value, info, model.GetType().Name);
    }

    /// <summary>[N,1,H,W] -> [2N,1,H,W]: the batch, then the same images mirrored (a Slice with step -1 over the width).</summary>
    private static string WithMirrorImages(OnnxGraphBuilder graph, string input)
    {
        var starts = graph.AddInitializer("tta.starts", (ReadOnlySpan<long>)[-1], 1);
        var ends = graph.AddInitializer("tta.ends", (ReadOnlySpan<long>)[long.MinValue], 1);
        var axes = graph.AddInitializer("tta.axes", (ReadOnlySpan<long>)[3], 1);
        var steps = graph.AddInitializer("tta.steps", (ReadOnlySpan<long>)[-1], 1);
        var mirrored = graph.AddNode("Slice", "tta", [input, starts, ends, axes, steps]);
        return graph.AddNode("Concat", "tta", [input, mirrored], OnnxAttribute.Of("axis", 0L));
    }

    /// <summary>[2N,K] logits -> [2,N,K] -> the mean over the two views: [N,K].</summary>
    private static string MeanOverMirrorImages(OnnxGraphBuilder graph, string logits, int classes)
    {
        var shape = graph.AddInitializer("tta.shape", (ReadOnlySpan<long>)[2, -1, classes], 3);
        var views = graph.AddNode("Reshape", "tta", [logits, shape]);
        return graph.AddNode("ReduceMean", "tta", [views], OnnxAttribute.Of("axes", new long[] { 0 }), OnnxAttribute.Of("keepdims", 0L));
    }

    /// <summary>
    /// [N,1,48,48] in [0,1] -> bilinear resize to [N,1,S,S] (half_pixel = PyTorch's align_corners=false) -> (x - mean) / std
    /// broadcast to [N,3,S,S]. FerNet normalises before it resizes; bilinear weights sum to one, so resizing the single
    /// grey channel first gives the same result at a third of the resize work.
    /// </summary>
    internal static string Preprocess(OnnxGraphBuilder graph, string input, int imageSize)
    {
        var value = input;
        if (imageSize != ModelInput.CropSize)
        {
            // Resize by explicit sizes [N, 1, S, S]: scales would round 48 * (S / 48f) down to S - 1 for some S.
            var batchAndChannel = graph.AddNode("Shape", "preprocess", [input], OnnxAttribute.Of("end", 2L));
            var spatial = graph.AddInitializer("preprocess.size", (ReadOnlySpan<long>)[imageSize, imageSize], 2);
            var sizes = graph.AddNode("Concat", "preprocess", [batchAndChannel, spatial], OnnxAttribute.Of("axis", 0L));
            value = graph.AddNode("Resize", "preprocess", [input, "", "", sizes],
                OnnxAttribute.Of("mode", "linear"),
                OnnxAttribute.Of("coordinate_transformation_mode", "half_pixel"));
        }
        var mean = graph.AddInitializer("preprocess.mean", FerNet.Mean.ToArray(), 1, 3, 1, 1);
        var std = graph.AddInitializer("preprocess.std", FerNet.Std.ToArray(), 1, 3, 1, 1);
        return graph.AddNode("Div", "preprocess", [graph.AddNode("Sub", "preprocess", [value, mean]), std]);
    }

    internal static string AddInput(OnnxGraphBuilder graph, ModelInput contract)
    {
        if (contract.ElementType != "float32") throw new NotSupportedException($"Input element type '{contract.ElementType}' is not supported; use float32.");
        var shape = new List<OnnxDimension> { OnnxDimension.Symbolic(OnnxNames.BatchDimension) };
        shape.AddRange(contract.SampleShape().Select(OnnxDimension.Fixed));
        return graph.AddInput(contract.Name, OnnxElementType.Float, shape,
            $"{contract.Layout}, values in [{contract.Min}, {contract.Max}]");
    }

    internal static byte[] Finish(OnnxGraphBuilder graph, string logits, OnnxModelInfo info, string graphName)
    {
        var probabilities = graph.AddNode("Softmax", "head", [logits], OnnxAttribute.Of("axis", 1L));
        OnnxDimension[] shape = [OnnxDimension.Symbolic(OnnxNames.BatchDimension), OnnxDimension.Fixed(info.Labels.Count)];
        graph.AddOutput(logits, OnnxNames.Logits, OnnxElementType.Float, shape, $"class scores: {string.Join(", ", info.Labels)}");
        graph.AddOutput(probabilities, OnnxNames.Probabilities, OnnxElementType.Float, shape, "softmax of the logits");

        var model = new OnnxModel(
            OnnxContract.IrVersion, OnnxContract.Opset,
            ProducerName: "Fer.Trainer",
            ProducerVersion: typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0",
            Domain: "fer",
            ModelVersion: 1,
            DocString: $"Facial-emotion recognition ({info.Backbone}, {info.ImageSize} px), version {info.Version}.",
            graph.Build(graphName),
            info.ToMetadata());
        return OnnxModelWriter.Serialize(model);
    }

    /// <summary>One dry run on a zero input, so that a label list that does not match the model fails here, by name.</summary>
    internal static void CheckOutputWidth(nn.Module<Tensor, Tensor> module, OnnxModelInfo info)
    {
        var wasTraining = module.training;
        module.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var sample = zeros([1, .. info.Input.SampleShape()]);
            var output = module.call(sample);
            if (output.dim() != 2 || output.shape[1] != info.Labels.Count)
                throw new InvalidOperationException(
                    $"The model outputs shape [{string.Join(",", output.shape)}] per batch of one, but the metadata lists {info.Labels.Count} labels.");
        }
        finally
        {
            module.train(wasTraining);
        }
    }
}
