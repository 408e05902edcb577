namespace Fer.Inference.Prediction;

/// <summary>The request fits the memory budget, but other requests hold it now: 503 with Retry-After.</summary>
public sealed class MemoryBudgetBusyException(string message) : Exception(message);
