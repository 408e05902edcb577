namespace Fer.Faces;

/// <summary>How an image becomes the model's inputs (the <c>faces</c> option of /predict and of <c>evaluate</c>).</summary>
public enum FaceMode
{
    /// <summary>Find every face and crop each as FER2013 was framed; images no larger than
    /// <see cref="FaceFinderOptions.WholeUpToSide"/> on both sides are taken whole (they are face crops already).</summary>
    Detect,

    /// <summary>The image already is a face crop: all of it, stretched to a square where it is not one.</summary>
    Whole,

    /// <summary>The largest centred square, whatever it holds.</summary>
    Centre,
}
