namespace Fer.Faces;

/// <summary>What counts as a face, and how many are answered (configuration section <c>Inference:Faces</c>).</summary>
public sealed class FaceFinderOptions
{
    public const string SectionName = "Inference:Faces";

    /// <summary>The detector's score a box needs (UltraFace's authors use 0.7).</summary>
    public float ScoreThreshold { get; set; } = 0.7f;

    /// <summary>Boxes overlapping a better one by more than this (IoU) are the same face (the authors use 0.3).</summary>
    public float OverlapThreshold { get; set; } = 0.3f;

    /// <summary>The most faces answered per image, the largest first.</summary>
    public int MaxFaces { get; set; } = 8;

    /// <summary>Faces whose box is smaller than this, in pixels on its shorter side, are not answered: too few pixels
    /// to tell an expression (FER2013's crops are 48 pixels).</summary>
    public int MinFaceSize { get; set; } = 20;

    /// <summary>In <c>detect</c> mode, images at most this many pixels wide and high are taken whole: they are face
    /// crops already (FER2013's are 48x48).</summary>
    public int WholeUpToSide { get; set; } = 96;
}
