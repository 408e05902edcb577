namespace Fer.Contracts;

/// <summary>The names in an exported model's graph that serving relies on.</summary>
public static class OnnxNames
{
    public const string Input = "input";
    public const string Logits = "logits";
    public const string Probabilities = "probabilities";

    /// <summary>The symbolic batch dimension of the input and outputs.</summary>
    public const string BatchDimension = "N";
}
