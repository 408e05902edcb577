using System.Reflection;
using Fer.Trainer.Onnx.Proto;
using TorchSharp;
using static TorchSharp.torch;

namespace Fer.Trainer.Onnx;

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

    internal static string AddInput(OnnxGraphBuilder graph, OnnxInputContract contract)
    {
        if (contract.ElementType != "float32") throw new NotSupportedException($"Input element type '{contract.ElementType}' is not supported; use float32.");
        var shape = new List<OnnxDimension> { OnnxDimension.Symbolic(OnnxContract.BatchDimension) };
        shape.AddRange(contract.SampleShape().Select(OnnxDimension.Fixed));
        return graph.AddInput(contract.Name, OnnxElementType.Float, shape,
            $"{contract.Layout}, values in [{contract.Min}, {contract.Max}]");
    }

    internal static byte[] Finish(OnnxGraphBuilder graph, string logits, OnnxModelInfo info, string graphName)
    {
        var probabilities = graph.AddNode("Softmax", "head", [logits], OnnxAttribute.Of("axis", 1L));
        OnnxDimension[] shape = [OnnxDimension.Symbolic(OnnxContract.BatchDimension), OnnxDimension.Fixed(info.Labels.Count)];
        graph.AddOutput(logits, OnnxContract.LogitsName, OnnxElementType.Float, shape, $"class scores: {string.Join(", ", info.Labels)}");
        graph.AddOutput(probabilities, OnnxContract.ProbabilitiesName, OnnxElementType.Float, shape, "softmax of the logits");

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
