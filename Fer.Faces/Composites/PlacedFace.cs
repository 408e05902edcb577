namespace Fer.Faces.Composites;

/// <summary>Where a face crop landed in a composite frame: the square <c>[Left, Left + Side) x [Top, Top + Side)</c> that
/// holds the whole crop, scaled; <see cref="Face"/> indexes the generator's faces.</summary>
public readonly record struct PlacedFace(int Face, int Left, int Top, int Side)
{
    /// <summary>The square as a box (score 1): the crop a perfect detector-and-framing would recover.</summary>
    public FaceBox Square => new(Left, Top, Left + Side, Top + Side, 1f);

    public bool Overlaps(PlacedFace other, int gap) =>
        Left < other.Left + other.Side + gap && other.Left < Left + Side + gap &&
        Top < other.Top + other.Side + gap && other.Top < Top + Side + gap;
}
