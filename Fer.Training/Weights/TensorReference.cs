namespace Fer.Training.Weights;

/// <summary>What <c>torch._utils._rebuild_tensor_v2</c> describes: a strided view of a storage.</summary>
internal sealed record TensorReference(StorageReference Storage, long Offset, long[] Shape, long[] Stride);
