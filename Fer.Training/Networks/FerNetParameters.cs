using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Fer.Training.Networks;

/// <summary>Selections of FerNet's parameters in <c>named_parameters()</c> order (the same order as PyTorch's).</summary>
public static class FerNetParameters
{
    /// <summary>The seed's phase 2 trains the last 30 parameter tensors: from <c>features.6.13.block.2.fc2.bias</c> on.</summary>
    public const int SeedPhaseTwoTensors = 30;

    public static IReadOnlyList<(string Name, Parameter Parameter)> All(nn.Module model) =>
        model.named_parameters().Select(p => (p.name, p.parameter)).ToList();

    /// <summary>The last <paramref name="count"/> parameter tensors of the model.</summary>
    public static IReadOnlyList<(string Name, Parameter Parameter)> Last(nn.Module model, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var all = All(model);
        if (count > all.Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"the model has only {all.Count} parameter tensors");
        return all.Skip(all.Count - count).ToList();
    }

    /// <summary>Freezes every parameter, then unfreezes the last <paramref name="count"/>; returns the trainable ones.</summary>
    public static IReadOnlyList<(string Name, Parameter Parameter)> TrainOnlyLast(nn.Module model, int count)
    {
        var last = Last(model, count);
        foreach (var (_, parameter) in All(model)) parameter.requires_grad = false;
        foreach (var (_, parameter) in last) parameter.requires_grad = true;
        return last;
    }

    /// <summary>The number of values in the parameters whose name starts with <paramref name="prefix"/> ("" for all).</summary>
    public static long Count(nn.Module model, string prefix = "") =>
        All(model).Where(p => p.Name.StartsWith(prefix, StringComparison.Ordinal)).Sum(p => p.Parameter.numel());
}
