namespace Fer.Training.Weights;

/// <summary>The element types a stored state_dict may hold.</summary>
public enum TensorDataType
{
    Float32,
    Float16,
    BFloat16,
    Float64,
    Int64,
    Int32,
    Int16,
    Int8,
    UInt8,
    Bool,
}
