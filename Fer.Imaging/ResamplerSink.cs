namespace Fer.Imaging;

/// <summary>Rows into an <see cref="AreaResampler"/>: the crop is made while the image streams by.</summary>
internal sealed class ResamplerSink(AreaResampler resampler) : RowSink
{
    public override int Left => resampler.Left;

    public override int Width => resampler.Width;

    public override bool Wants(int y) => resampler.Wants(y);

    public override void AddRow(int y, ReadOnlySpan<float> luma) => resampler.AddRow(y, luma);
}
