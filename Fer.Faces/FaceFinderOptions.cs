using System.ComponentModel.DataAnnotations;
using Fer.Faces.Detection;

namespace Fer.Faces;

/// <summary>What counts as a face, and how many are answered (configuration section <c>Inference:Faces</c>).</summary>
public sealed class FaceFinderOptions
{
    public const string SectionName = "Inference:Faces";

    /// <summary>Another detector file (UltraFace's outputs) instead of the shipped one; <see cref="DetectorSha256"/> must
    /// then give its SHA-256.</summary>
    public string? DetectorFile { get; set; }

    public string? DetectorSha256 { get; set; }

    /// <summary>The detector's score a box needs (UltraFace's authors use 0.7).</summary>
    [Range(0.01, 1.0, ErrorMessage = SectionName + ":ScoreThreshold must be between {1} and {2}")]
    public float ScoreThreshold { get; set; } = 0.7f;

    /// <summary>Boxes overlapping a better one by more than this (IoU) are the same face (the authors use 0.3).</summary>
    [Range(0.01, 1.0, ErrorMessage = SectionName + ":OverlapThreshold must be between {1} and {2}")]
    public float OverlapThreshold { get; set; } = 0.3f;

    /// <summary>The most faces answered per image, the largest first.</summary>
    [Range(1, 64, ErrorMessage = SectionName + ":MaxFaces must be between {1} and {2}")]
    public int MaxFaces { get; set; } = 8;

    /// <summary>Faces whose box is smaller than this, in pixels on its shorter side, are not answered: too few pixels
    /// to tell an expression (FER2013's crops are 48 pixels).</summary>
    [Range(1, 10_000, ErrorMessage = SectionName + ":MinFaceSize must be between {1} and {2} pixels")]
    public int MinFaceSize { get; set; } = 20;

    /// <summary>In <c>detect</c> mode, images at most this many pixels wide and high are taken whole: they are face
    /// crops already (FER2013's are 48x48).</summary>
    [Range(0, 10_000, ErrorMessage = SectionName + ":WholeUpToSide must be between {1} and {2} pixels")]
    public int WholeUpToSide { get; set; } = 96;

    /// <summary>The detector file to load: <see cref="DetectorFile"/> with its checksum, or the shipped one.</summary>
    public FaceDetectorFile Detector() => DetectorFile is null
        ? FaceDetectorFile.Bundled
        : new FaceDetectorFile(DetectorFile, DetectorSha256
            ?? throw new FaceDetectorException($"{SectionName}:DetectorFile is set, so {SectionName}:DetectorSha256 must give its SHA-256"));
}
