namespace Fer.Trainer.Onnx;

/// <summary>ONNX Runtime against TorchSharp for one probe image: relative L2 error of the logits and of the probabilities
/// (||onnx - torch|| / ||torch||), and the largest absolute logit difference.</summary>
public sealed record ImageParity(string Source, double LogitsRelativeError, double ProbabilitiesRelativeError, double LogitsMaxAbsError);
