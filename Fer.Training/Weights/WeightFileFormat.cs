namespace Fer.Training.Weights;

public enum WeightFileFormat
{
    /// <summary>torch.save's zip + pickle checkpoint (<c>.pth</c>, <c>.pt</c>).</summary>
    TorchZip,

    /// <summary>Hugging Face safetensors.</summary>
    Safetensors,
}
