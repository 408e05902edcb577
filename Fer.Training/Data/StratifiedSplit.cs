namespace Fer.Training.Data;

/// <summary>A seeded, per-class split: every class keeps (about) the same share in both parts.</summary>
public static class StratifiedSplit
{
    public static (FaceDataset Train, FaceDataset Validation) Split(FaceDataset data, double validationFraction, int seed)
    {
        if (validationFraction is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "must be between 0 and 1 (exclusive)");

        var random = new Random(seed);
        var train = new List<int>();
        var validation = new List<int>();
        foreach (var group in Enumerable.Range(0, data.Count).GroupBy(i => data.Samples[i].Label).OrderBy(g => g.Key))
        {
            var indices = group.ToArray();
            random.Shuffle(indices);
            var take = indices.Length < 2 ? 0 : Math.Max(1, (int)Math.Round(indices.Length * validationFraction));
            validation.AddRange(indices.Take(take));
            train.AddRange(indices.Skip(take));
        }
        train.Sort();
        validation.Sort();
        return (data.Subset(data.Name, train), data.Subset($"{data.Name} (validation split)", validation));
    }
}
