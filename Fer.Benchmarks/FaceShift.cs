namespace Fer.Benchmarks;

/// <summary>How a replay changes FER2013's 48x48 faces: not at all, darker (every pixel at 55 %: a dim webcam), blurred
/// (a 5x5 box blur: out of focus) or occluded (the lower 40 % of the face black: a mask or a hand).</summary>
public enum FaceShift
{
    Clean,
    Darkened,
    Blurred,
    Occluded,
}
