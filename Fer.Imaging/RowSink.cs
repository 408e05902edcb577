namespace Fer.Imaging;

/// <summary>Where decoded rows of luma go, one at a time: the columns <c>[Left, Left + Width)</c> of the rows it wants.</summary>
internal abstract class RowSink
{
    public abstract int Left { get; }

    public abstract int Width { get; }

    public abstract bool Wants(int y);

    public abstract void AddRow(int y, ReadOnlySpan<float> luma);
}
