namespace Fer.Training.Weights;

/// <summary>A weight file that cannot be read or does not fit the model; the message names the file and the problem.</summary>
public sealed class WeightFileException : Exception
{
    public WeightFileException(string message) : base(message) { }

    public WeightFileException(string message, Exception inner) : base(message, inner) { }
}
