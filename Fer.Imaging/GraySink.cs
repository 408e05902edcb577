namespace Fer.Imaging;

/// <summary>Every row into a whole 8-bit gray image, <paramref name="width"/> bytes a row, luma rounded to the nearest byte.</summary>
internal sealed class GraySink(byte[] pixels, int width) : RowSink
{
    public override int Left => 0;

    public override int Width => width;

    public override bool Wants(int y) => true;

    public override void AddRow(int y, ReadOnlySpan<float> luma)
    {
        var row = pixels.AsSpan(y * width, width);
        for (var x = 0; x < row.Length; x++) row[x] = (byte)Math.Clamp(MathF.Round(luma[x]), 0, 255);
    }
}
