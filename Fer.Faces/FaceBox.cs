namespace Fer.Faces;

/// <summary>A detected face: its box in pixels of the upright image (<c>[X0, X1) x [Y0, Y1)</c>) and the detector's score.</summary>
public readonly record struct FaceBox(float X0, float Y0, float X1, float Y1, float Score)
{
    public float Width => X1 - X0;

    public float Height => Y1 - Y0;

    public float Area => Math.Max(0, Width) * Math.Max(0, Height);

    public float CentreX => (X0 + X1) / 2;

    public float CentreY => (Y0 + Y1) / 2;

    /// <summary>Intersection over union with <paramref name="other"/>: 0 for disjoint boxes, 1 for the same box.</summary>
    public float IoU(FaceBox other)
    {
        var width = Math.Min(X1, other.X1) - Math.Max(X0, other.X0);
        var height = Math.Min(Y1, other.Y1) - Math.Max(Y0, other.Y0);
        if (width <= 0 || height <= 0) return 0;
        var intersection = width * height;
        return intersection / (Area + other.Area - intersection);
    }
}
