namespace Fer.Training.Torch;

public sealed record ConvolutionCheckResult(double MaxAbsError, double Tolerance)
{
    public bool Passed => MaxAbsError <= Tolerance;

    public string Explanation => Passed
        ? $"libtorch's 24-channel 3x3 convolution matches the reference (max abs error {MaxAbsError:E2})"
        : $"libtorch computes a 24-channel 3x3 convolution wrongly on this CPU (max abs error {MaxAbsError:G3}, tolerance " +
          $"{Tolerance:G3}). oneDNN's AVX-512 kernels are known to do this on some AMD Zen CPUs: start the process with " +
          $"{TorchRuntime.OneDnnIsaVariable}={TorchRuntime.OneDnnIsaValue} in its environment (Fer sets it itself unless the " +
          "variable is already set to something else) and try again. Training on wrong convolutions would be silently wrong.";
}
