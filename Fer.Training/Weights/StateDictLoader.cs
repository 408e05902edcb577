using TorchSharp;
using static TorchSharp.torch;

namespace Fer.Training.Weights;

/// <summary>
/// Copies tensors of a <see cref="StateDict"/> into a module's parameters and buffers by name: target
/// <c>targetPrefix + suffix</c> receives source <c>sourcePrefix + suffix</c>. Everything is checked before anything is
/// copied, so a bad file leaves the module untouched.
/// </summary>
public static class StateDictLoader
{
    private const string BatchCounter = "num_batches_tracked";
    private const int ListedNames = 8;

    /// <param name="strict">Fail when a target tensor has no source or a source tensor under the prefix has no target
    /// (a missing BatchNorm <c>num_batches_tracked</c> counter is tolerated, like PyTorch's old checkpoints).</param>
    public static WeightLoadResult Load(nn.Module target, StateDict source, string targetPrefix = "", string sourcePrefix = "", bool strict = true)
    {
        var targets = target.named_parameters().Select(p => (p.name, (Tensor)p.parameter))
            .Concat(target.named_buffers().Select(b => (b.name, b.buffer)))
            .Where(t => t.name.StartsWith(targetPrefix, StringComparison.Ordinal))
            .ToList();

        var pairs = new List<(string Name, Tensor Target, StoredTensor Source)>();
        var missing = new List<string>();
        var mismatches = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in targets)
        {
            var sourceName = sourcePrefix + name[targetPrefix.Length..];
            if (!source.TryGet(sourceName, out var stored))
            {
                if (!name.EndsWith(BatchCounter, StringComparison.Ordinal)) missing.Add(sourceName);
                continue;
            }
            used.Add(sourceName);
            if (!stored.Shape.SequenceEqual(tensor.shape))
                mismatches.Add($"'{sourceName}' is {StoredTensor.Format(stored.Shape)} in the file but {StoredTensor.Format(tensor.shape)} in the model");
            else
                pairs.Add((name, tensor, stored));
        }
        var unexpected = source.Keys.Where(k => k.StartsWith(sourcePrefix, StringComparison.Ordinal) && !used.Contains(k)).ToList();

        if (mismatches.Count > 0)
            throw new WeightFileException($"{source.Source}: {mismatches.Count} shape mismatch(es): {List(mismatches)}");
        if (strict && missing.Count > 0)
            throw new WeightFileException($"{source.Source}: {missing.Count} tensor(s) the model needs are missing: {List(missing)}");
        if (strict && unexpected.Count > 0)
            throw new WeightFileException($"{source.Source}: {unexpected.Count} unexpected tensor(s) the model has no place for: {List(unexpected)}");

        using (no_grad())
        {
            foreach (var (_, tensor, stored) in pairs)
            {
                using var value = stored.ToTorch();
                tensor.copy_(value);
            }
        }
        return new WeightLoadResult(pairs.Select(p => p.Name).ToList(), pairs.Sum(p => p.Source.ElementCount), missing, unexpected);
    }

    internal static string List(IReadOnlyCollection<string> names) =>
        string.Join(", ", names.Take(ListedNames)) + (names.Count > ListedNames ? $", ... ({names.Count - ListedNames} more)" : "");
}
