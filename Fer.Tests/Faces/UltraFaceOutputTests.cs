using Fer.Faces;
using Fer.Faces.Detection;

namespace Fer.Tests.Faces;

public sealed class UltraFaceOutputTests
{
    [Fact]
    public void Letterbox_FitsAWideImage_WithMarginsAboveAndBelow()
    {
        // 1280x720 into 320x240: scale min(320/1280, 240/720) = min(0.25, 0.333) = 0.25; the image is 320x180 in the input,
        // centred: offset x 0, offset y (240 - 180) / 2 = 30.
        var box = Letterbox.Fit(1280, 720, 320, 240);

        Assert.Equal(new Letterbox(0.25f, 0, 30, 1280, 720), box);
        // Input (160, 120) is image ((160 - 0) / 0.25, (120 - 30) / 0.25) = (640, 360), the image's centre.
        Assert.Equal((640f, 360f), box.ToImage(160, 120));
        // Input (0, 0) lies in the top margin: image (0, -120), clamped to (0, 0); (320, 240) to (1280, 720).
        Assert.Equal((0f, 0f), box.ToImage(0, 0));
        Assert.Equal((1280f, 720f), box.ToImage(320, 240));
    }

    [Fact]
    public void Letterbox_FitsATallImage_WithMarginsLeftAndRight()
    {
        // 480x640 into 320x240: scale min(320/480, 240/640) = min(0.667, 0.375) = 0.375; the image is 180x240 in the
        // input: offset x (320 - 180) / 2 = 70, offset y 0.
        var box = Letterbox.Fit(480, 640, 320, 240);

        Assert.Equal(0.375f, box.Scale);
        Assert.Equal((70f, 0f), (box.OffsetX, box.OffsetY));
        // Input (100, 60) is image ((100 - 70) / 0.375, 60 / 0.375) = (80, 160).
        Assert.Equal((80f, 160f), box.ToImage(100, 60));
    }

    [Fact]
    public void Decode_KeepsPriorsScoringTheThreshold_InImagePixels()
    {
        // A 480x480 image in a 320x240 input: scale min(320/480, 240/480) = 0.5, offset x (320 - 240) / 2 = 40, y 0.
        var letterbox = Letterbox.Fit(480, 480, 320, 240);
        float[] scores =
        [
            0.1f, 0.9f, // prior 0: a face
            0.6f, 0.4f, // prior 1: below 0.7
            0.3f, 0.7f, // prior 2: exactly the threshold, kept; but wholly in the left margin
        ];
        float[] boxes =
        [
            // Prior 0, relative (0.5, 0.25)-(0.75, 0.75): input (160, 60)-(240, 180);
            // image ((160 - 40) / 0.5, 60 / 0.5) = (240, 120) to ((240 - 40) / 0.5, 180 / 0.5) = (400, 360).
            0.5f, 0.25f, 0.75f, 0.75f,
            0.1f, 0.1f, 0.2f, 0.2f,
            // Prior 2, relative (0, 0)-(0.1, 0.1): input (0, 0)-(32, 24); image x from (0 - 40) / 0.5 = -80 to
            // (32 - 40) / 0.5 = -16, both clamped to 0: an empty box, dropped.
            0f, 0f, 0.1f, 0.1f,
        ];

        var found = UltraFaceOutput.Decode(scores, boxes, 0.7f, 320, 240, letterbox);

        Assert.Equal([new FaceBox(240, 120, 400, 360, 0.9f)], found);
    }

    [Fact]
    public void Decode_ClampsBoxesToTheImage()
    {
        // 640x480 fills a 320x240 input at scale 0.5 with no margin. Relative (0.9, -0.1)-(1.1, 0.2) is input
        // (288, -24)-(352, 48), image (576, -48)-(704, 96), clamped to (576, 0)-(640, 96).
        var found = UltraFaceOutput.Decode([0f, 1f], [0.9f, -0.1f, 1.1f, 0.2f], 0.5f, 320, 240, Letterbox.Fit(640, 480, 320, 240));

        Assert.Equal([new FaceBox(576, 0, 640, 96, 1f)], found);
    }

    [Fact]
    public void Decode_RefusesBoxesThatDoNotMatchTheScores() =>
        Assert.Throws<ArgumentException>(() => UltraFaceOutput.Decode([0f, 1f, 0f, 1f], [0f, 0f, 1f, 1f], 0.5f, 320, 240, Letterbox.Fit(320, 240, 320, 240)));
}
