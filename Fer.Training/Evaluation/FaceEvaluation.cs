using Fer.Faces;

namespace Fer.Training.Evaluation;

/// <summary>How an evaluation found the faces it scored: the <c>--faces</c> mode, the detector, the photos left out
/// because no face was found in them, and those <c>detect</c> took whole as face crops already (FER2013's 48x48).</summary>
public sealed record FaceEvaluation(FaceMode Mode, string Detector, int WithoutFace, int TakenWhole)
{
    /// <summary>One line for the console and the report; <paramref name="scored"/> photos were scored.</summary>
    public string Describe(int scored, double accuracy)
    {
        var line = Mode == FaceMode.Detect
            ? $"faces: detect ({Detector}): {TakenWhole} images small enough to be face crops taken whole, the largest face found in {scored - TakenWhole}"
            : $"faces: {Mode.Name()}: every image taken {(Mode == FaceMode.Whole ? "whole" : "by its centre square")}";
        return WithoutFace == 0
            ? line
            : line + $"; no face found in {WithoutFace} of {scored + WithoutFace} images, left out of the scores " +
              $"(counting them as wrong: accuracy {accuracy * scored / (scored + WithoutFace):P2})";
    }
}
