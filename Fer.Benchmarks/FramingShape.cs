namespace Fer.Benchmarks;

/// <summary>How a framed square's side follows the detector's box, the parametrisations <c>faces-fit</c> compares; each
/// also shifts the centre by fitted fractions of the box's width and height.</summary>
public enum FramingShape
{
    /// <summary>A scale of the box's mean side (what <see cref="Fer.Faces.Framing.FaceFraming"/> ships).</summary>
    MeanSide,

    /// <summary>A scale of the box's longer side.</summary>
    LongerSide,

    /// <summary>A scale of the box's width.</summary>
    Width,

    /// <summary>A scale of the box's height.</summary>
    Height,

    /// <summary>Its own scale of the width plus its own scale of the height.</summary>
    WidthPlusHeight,
}
