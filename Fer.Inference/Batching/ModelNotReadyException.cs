namespace Fer.Inference.Batching;

/// <summary>No model is in service yet.</summary>
public sealed class ModelNotReadyException(string message) : Exception(message)
{
    public const string NothingPublished = "no model has been published yet";
}
