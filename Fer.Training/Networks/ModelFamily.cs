namespace Fer.Training.Networks;

/// <summary>The network families behind the one model contract (float32 [N,1,48,48] in [0,1] -> one logit per class).</summary>
public enum ModelFamily
{
    /// <summary>torchvision's EfficientNetV2-S with the seed's head, at backbone size S: for the ImageNet file or a GPU.</summary>
    EfficientNetV2S,

    /// <summary><see cref="Networks.Cnn48"/>: a plain convolutional network at FER's native 48 px, made to train on a CPU.</summary>
    Cnn48,
}
