namespace Fer.Training.Onnx;

/// <summary>
/// ONNX Runtime against TorchSharp for one probe image: relative L2 errors (||onnx - torch|| / ||torch||) of the logits and
/// of the probabilities, and the largest absolute logit difference. Where a float64 evaluation of the same model was made,
/// also the float32 noise floor: how far TorchSharp's own float32 logits are from float64, and how far ONNX Runtime's are.
/// </summary>
public sealed record ImageParity(
    string Source,
    double LogitsRelativeError,
    double ProbabilitiesRelativeError,
    double LogitsMaxAbsError,
    double? TorchVsFloat64 = null,
    double? OnnxVsFloat64 = null)
{
    /// <summary>True when TorchSharp's float32 result is itself too far from float64 for the tolerance to be reachable:
    /// the model is ill-conditioned on this image, and no float32 implementation can match another to the tolerance.</summary>
    public bool IsIllConditioned(double tolerance) => TorchVsFloat64 > tolerance / 2;
}
