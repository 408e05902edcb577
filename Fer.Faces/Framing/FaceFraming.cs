namespace Fer.Faces.Framing;

/// <summary>
/// From a detector's box to the square FER2013 would have cropped: the square's centre is the box's centre moved by
/// <see cref="ShiftX"/> box widths and <see cref="ShiftY"/> box heights, its side <see cref="Scale"/> times the box's
/// mean side. FER2013's faces were framed by another detector, so the transform is fitted, not guessed: the defaults
/// come from <c>faces-fit</c> on composite frames of FER2013 training faces (docs/faces.md).
/// </summary>
public sealed record FaceFraming(float ShiftX, float ShiftY, float Scale)
{
    /// <summary>The transform fitted for the shipped detector, UltraFace RFB-640, by <c>faces-fit</c> (docs/faces.md): FER2013's
    /// square is about 14 % larger than the box's mean side, centred within 1 % of the box's centre. (RFB-320's own fit:
    /// 0.0012, -0.0075, 1.1376.)</summary>
    public static FaceFraming Fitted { get; } = new(0.0023f, -0.0085f, 1.1356f);

    /// <summary>The square as left, top and side in whole pixels of the image (it may leave the image).</summary>
    public (int Left, int Top, int Side) Square(FaceBox box)
    {
        var side = Math.Max(1, (int)MathF.Round(Scale * (box.Width + box.Height) / 2));
        var centreX = box.CentreX + ShiftX * box.Width;
        var centreY = box.CentreY + ShiftY * box.Height;
        return ((int)MathF.Round(centreX - side / 2f), (int)MathF.Round(centreY - side / 2f), side);
    }
}
