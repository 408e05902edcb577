namespace Fer.Faces.Composites;

/// <summary>What fills a composite frame around its faces (drawn by <see cref="BackgroundPainter"/>).</summary>
public enum CompositeBackground
{
    /// <summary>One gray level.</summary>
    Flat,

    /// <summary>A linear ramp between two gray levels at any angle.</summary>
    Gradient,

    /// <summary>Smooth blotches (coarse random levels, bilinearly interpolated) with fine grain on top.</summary>
    Noise,

    /// <summary>Other faces of the set, tiled several times larger and blurred well beyond recognition: photo-like
    /// structure with no face a detector should find.</summary>
    Texture,
}
