namespace Fer.Training.Weights;

/// <summary>A global (module.name) a pickle refers to; only ever one of the allow-listed names.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}
