namespace Fer.Inference.Batching;

/// <summary>The batching queue is at capacity: the service is overloaded and refuses at once instead of queueing forever.</summary>
public sealed class QueueFullException(int capacity)
    : Exception($"the inference queue is full ({capacity} requests waiting); retry shortly")
{
    public int Capacity { get; } = capacity;
}
