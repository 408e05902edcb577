namespace Fer.Training.Weights;

/// <summary>A torch storage named by a checkpoint's persistent id: its element type, its record key and its size.</summary>
internal sealed record StorageReference(TensorDataType DataType, string Key, string Location, long ElementCount);
