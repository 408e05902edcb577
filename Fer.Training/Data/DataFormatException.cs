namespace Fer.Training.Data;

/// <summary>Data that cannot be used for training or evaluation; the message names the file (and line) at fault.</summary>
public sealed class DataFormatException(string message) : Exception(message);
