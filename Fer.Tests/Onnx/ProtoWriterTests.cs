using Fer.Training.Onnx.Proto;

namespace Fer.Tests.Onnx;

public sealed class ProtoWriterTests
{
    [Theory]
    [InlineData(0L, new byte[] { 0x08, 0x00 })]
    [InlineData(150L, new byte[] { 0x08, 0x96, 0x01 })]
    [InlineData(-1L, new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void WriteInt64_EncodesVarintsAsTheSpecShows(long value, byte[] expected)
    {
        var writer = new ProtoWriter();
        writer.WriteInt64(1, value);
        Assert.Equal(expected, writer.ToArray());
    }

    [Fact]
    public void WriteMessage_PrefixesTheNestedLength()
    {
        var writer = new ProtoWriter();
        writer.WriteMessage(3, inner => inner.WriteString(2, "testing"));
        // The protobuf spec's example: field 3 holding a message whose field 2 is "testing".
        Assert.Equal(new byte[] { 0x1a, 0x09, 0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67 }, writer.ToArray());
    }

    [Fact]
    public void WriteFloat_IsLittleEndianFixed32()
    {
        var writer = new ProtoWriter();
        writer.WriteFloat(2, 1.0f);
        Assert.Equal(new byte[] { 0x15, 0x00, 0x00, 0x80, 0x3f }, writer.ToArray());
    }
}
