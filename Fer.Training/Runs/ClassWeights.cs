namespace Fer.Training.Runs;

/// <summary>"Balanced" class weights, n / (k * n_c), as scikit-learn computes them, raised to a power (1: balanced, 0: all
/// ones); a class with no samples weighs 0.</summary>
public static class ClassWeights
{
    public static float[] Balanced(IReadOnlyList<int> classCounts, double power = 1)
    {
        var total = classCounts.Sum();
        var present = classCounts.Count(c => c > 0);
        return classCounts.Select(c => c == 0 ? 0f : (float)Math.Pow((double)total / (present * c), power)).ToArray();
    }
}
