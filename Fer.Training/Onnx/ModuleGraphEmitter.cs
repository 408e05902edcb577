using Fer.Training.Networks;
using Fer.Training.Onnx.Proto;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Fer.Training.Onnx;

/// <summary>
/// Translates an eval-mode TorchSharp module tree into ONNX nodes. Inside a Sequential, a BatchNorm that directly follows
/// a convolution or linear layer is folded into its weights, and a BatchNorm1d that precedes a linear layer (with only
/// eval-identity modules such as Dropout between) is folded into that layer; any other BatchNorm becomes Mul + Add.
/// FerNet's blocks are translated by what they compute in eval mode: stochastic depth is the identity there.
/// </summary>
public sealed class ModuleGraphEmitter(OnnxGraphBuilder graph)
{
    public OnnxGraphBuilder Graph => graph;

    /// <summary>Emits <paramref name="module"/> applied to the value <paramref name="input"/>; returns the output value.</summary>
    public string Emit(nn.Module module, string input, string path) => module switch
    {
        Conv2dNormActivation block => EmitConvNormActivation(block, input, path),
        FusedMBConv block => EmitResidualBlock(block.Block, block.UseResidual, input, path),
        MBConv block => EmitResidualBlock(block.Block, block.UseResidual, input, path),
        SqueezeExcitation block => EmitSqueezeExcitation(block, input, path),
        StochasticDepth => input,
        Sequential sequential => EmitSequence(sequential.named_children().ToList(), input, path),
        Conv2d conv => EmitConv(conv, null, input, path),
        Linear linear => EmitLinear(linear, before: null, after: null, input, path),
        BatchNorm2d norm => EmitAffine(BatchNormFolding.AffineOf(norm), input, path, spatial: true),
        BatchNorm1d norm => EmitAffine(BatchNormFolding.AffineOf(norm), input, path, spatial: false),
        ReLU => graph.AddNode("Relu", path, [input]),
        SiLU => EmitSilu(input, path),
        Sigmoid => graph.AddNode("Sigmoid", path, [input]),
        Flatten flatten => EmitFlatten(flatten, input, path),
        AdaptiveAvgPool2d pool => EmitGlobalAveragePool(pool, input, path),
        MaxPool2d pool => EmitMaxPool(pool, input, path),
        _ when IsIdentityInEval(module) => input,
        _ => throw new NotSupportedException($"ONNX export does not support module '{path}' of type {module.GetType().Name}."),
    };

    public string EmitSequence(IReadOnlyList<(string Name, nn.Module Module)> children, string input, string path)
    {
        var value = input;
        for (var i = 0; i < children.Count; i++)
        {
            var (name, child) = children[i];
            var childPath = Join(path, name);
            if (IsIdentityInEval(child)) continue;
            var next = NextEffective(children, i);
            var nextModule = next < 0 ? null : children[next].Module;

            if (child is Conv2d conv && nextModule is BatchNorm2d convNorm)
            {
                value = EmitConv(conv, BatchNormFolding.AffineOf(convNorm), value, childPath);
                i = next;
            }
            else if (child is Linear linear && nextModule is BatchNorm1d linearNorm)
            {
                value = EmitLinear(linear, before: null, after: BatchNormFolding.AffineOf(linearNorm), value, childPath);
                i = next;
            }
            else if (child is BatchNorm1d norm && nextModule is Linear following)
            {
                value = EmitLinear(following, before: BatchNormFolding.AffineOf(norm), after: null, value, Join(path, children[next].Name));
                i = next;
            }
            else
            {
                value = Emit(child, value, childPath);
            }
        }
        return value;
    }

    /// <summary>Conv + BatchNorm (folded into one Conv) + optional SiLU.</summary>
    public string EmitConvNormActivation(Conv2dNormActivation block, string input, string path)
    {
        var value = EmitConv(block.Conv, BatchNormFolding.AffineOf(block.Norm), input, Join(path, "0"));
        return block.HasActivation ? EmitSilu(value, Join(path, "2")) : value;
    }

    /// <summary>Fused-MBConv and MBConv: the block, plus the input when the block is residual.</summary>
    public string EmitResidualBlock(Sequential block, bool residual, string input, string path)
    {
        var value = Emit(block, input, Join(path, "block"));
        return residual ? graph.AddNode("Add", path, [value, input]) : value;
    }

    /// <summary>x * sigmoid(fc2(silu(fc1(global_average_pool(x))))).</summary>
    public string EmitSqueezeExcitation(SqueezeExcitation block, string input, string path)
    {
        var pooled = graph.AddNode("GlobalAveragePool", Join(path, "avgpool"), [input]);
        var squeezed = EmitSilu(EmitConv(block.Fc1, null, pooled, Join(path, "fc1")), Join(path, "activation"));
        var scale = graph.AddNode("Sigmoid", Join(path, "scale_activation"), [EmitConv(block.Fc2, null, squeezed, Join(path, "fc2"))]);
        return graph.AddNode("Mul", path, [input, scale]);
    }

    /// <summary>A 2-D convolution, with the BatchNorm that follows it (if any) folded into its weight and bias.</summary>
    public string EmitConv(Conv2d conv, AffineTransform? norm, string input, string path)
    {
        if (conv.transposed) throw new NotSupportedException($"ONNX export does not support transposed convolution '{path}'.");
        if (conv.padding_mode != PaddingModes.Zeros)
            throw new NotSupportedException($"ONNX export supports only zero padding; '{path}' uses {conv.padding_mode}.");

        var weight = TensorData.ToDoubles(conv.weight!);
        var bias = conv.bias is null ? null : TensorData.ToDoubles(conv.bias);
        if (norm is not null)
        {
            if (norm.Channels != conv.out_channels)
                throw new InvalidOperationException($"BatchNorm after '{path}' has {norm.Channels} channels, the convolution {conv.out_channels}.");
            (weight, bias) = BatchNormFolding.FoldAfter(weight, bias, norm);
        }

        var kernel = conv.kernel_size;
        var weightName = graph.AddInitializer($"{path}.weight", TensorData.ToFloats(weight), conv.weight!.shape);
        List<string> inputs = [input, weightName];
        if (bias is not null) inputs.Add(graph.AddInitializer($"{path}.bias", TensorData.ToFloats(bias), conv.out_channels));

        return graph.AddNode("Conv", path, inputs,
            OnnxAttribute.Of("kernel_shape", kernel),
            OnnxAttribute.Of("strides", conv.stride),
            OnnxAttribute.Of("dilations", conv.dilation),
            OnnxAttribute.Of("group", conv.groups),
            OnnxAttribute.Of("pads", Pads(conv, path)));
    }

    /// <summary>A linear layer as Gemm (transB = 1), with a BatchNorm before and/or after it folded in.</summary>
    public string EmitLinear(Linear linear, AffineTransform? before, AffineTransform? after, string input, string path)
    {
        var weight = TensorData.ToDoubles(linear.weight!);
        var bias = linear.bias is null ? null : TensorData.ToDoubles(linear.bias);
        if (before is not null)
        {
            if (before.Channels != linear.in_features)
                throw new InvalidOperationException($"BatchNorm before '{path}' has {before.Channels} features, the layer takes {linear.in_features}.");
            (weight, bias) = BatchNormFolding.FoldBefore(weight, bias, before);
        }
        if (after is not null)
        {
            if (after.Channels != linear.out_features)
                throw new InvalidOperationException($"BatchNorm after '{path}' has {after.Channels} features, the layer gives {linear.out_features}.");
            (weight, bias) = BatchNormFolding.FoldAfter(weight, bias, after);
        }

        var weightName = graph.AddInitializer($"{path}.weight", TensorData.ToFloats(weight), linear.out_features, linear.in_features);
        List<string> inputs = [input, weightName];
        if (bias is not null) inputs.Add(graph.AddInitializer($"{path}.bias", TensorData.ToFloats(bias), linear.out_features));
        return graph.AddNode("Gemm", path, inputs, OnnxAttribute.Of("transB", 1L));
    }

    /// <summary>SiLU(x) = x * sigmoid(x): opset 17 has no SiLU/Swish operator.</summary>
    public string EmitSilu(string input, string path) =>
        graph.AddNode("Mul", path, [input, graph.AddNode("Sigmoid", path, [input])]);

    /// <summary>A standalone BatchNorm as a per-channel Mul + Add (channels on axis 1 of NCHW, or the last axis of [N, C]).</summary>
    public string EmitAffine(AffineTransform affine, string input, string path, bool spatial)
    {
        long[] shape = spatial ? [affine.Channels, 1, 1] : [affine.Channels];
        var scale = graph.AddInitializer($"{path}.scale", TensorData.ToFloats(affine.Scale), shape);
        var shift = graph.AddInitializer($"{path}.shift", TensorData.ToFloats(affine.Shift), shape);
        return graph.AddNode("Add", path, [graph.AddNode("Mul", path, [input, scale]), shift]);
    }

    private string EmitFlatten(Flatten flatten, string input, string path)
    {
        if (flatten.end_dim != -1)
            throw new NotSupportedException($"ONNX export supports Flatten to the last dimension only; '{path}' ends at {flatten.end_dim}.");
        return graph.AddNode("Flatten", path, [input], OnnxAttribute.Of("axis", flatten.start_dim));
    }

    private string EmitGlobalAveragePool(AdaptiveAvgPool2d pool, string input, string path)
    {
        if (pool.output_size.Any(size => size != 1))
            throw new NotSupportedException($"ONNX export supports AdaptiveAvgPool2d to 1x1 only; '{path}' pools to [{string.Join(",", pool.output_size)}].");
        return graph.AddNode("GlobalAveragePool", path, [input]);
    }

    private string EmitMaxPool(MaxPool2d pool, string input, string path)
    {
        if (pool.ceil_mode) throw new NotSupportedException($"ONNX export supports MaxPool2d with floor rounding only; '{path}' uses ceil_mode.");
        var kernel = pool.kernel_size;
        var stride = pool.stride ?? kernel;
        var padding = pool.padding ?? [0, 0];
        var dilation = pool.dilation ?? [1, 1];
        return graph.AddNode("MaxPool", path, [input],
            OnnxAttribute.Of("kernel_shape", kernel),
            OnnxAttribute.Of("strides", stride),
            OnnxAttribute.Of("dilations", dilation),
            OnnxAttribute.Of("pads", [padding[0], padding[1], padding[0], padding[1]]));
    }

    private static long[] Pads(Conv2d conv, string path)
    {
        if (conv.padding_type is Padding.Valid) return [0, 0, 0, 0];
        if (conv.padding_type is Padding.Same)
        {
            if (conv.stride.Any(s => s != 1)) throw new NotSupportedException($"'same' padding with stride != 1 in '{path}'.");
            var total = conv.kernel_size.Select((k, i) => conv.dilation[i] * (k - 1)).ToArray();
            if (total.Any(t => t % 2 != 0)) throw new NotSupportedException($"Asymmetric 'same' padding in '{path}'.");
            return [total[0] / 2, total[1] / 2, total[0] / 2, total[1] / 2];
        }
        var padding = conv.padding ?? throw new NotSupportedException($"Convolution '{path}' has neither explicit nor named padding.");
        return [padding[0], padding[1], padding[0], padding[1]];
    }

    private static bool IsIdentityInEval(nn.Module module) => module is Dropout or Identity;

    private static int NextEffective(IReadOnlyList<(string Name, nn.Module Module)> children, int index)
    {
        for (var j = index + 1; j < children.Count; j++)
            if (!IsIdentityInEval(children[j].Module)) return j;
        return -1;
    }

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
