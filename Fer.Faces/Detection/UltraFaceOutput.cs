namespace Fer.Faces.Detection;

/// <summary>Turns UltraFace's raw outputs into boxes: <c>scores</c> holds (background, face) per prior, softmaxed;
/// <c>boxes</c> holds (x0, y0, x1, y1) per prior relative to the detector's input, already decoded from the priors.</summary>
public static class UltraFaceOutput
{
    /// <summary>The priors whose face score reaches <paramref name="scoreThreshold"/>, as boxes in the image's pixels.</summary>
    public static List<FaceBox> Decode(ReadOnlySpan<float> scores, ReadOnlySpan<float> boxes, float scoreThreshold,
        int inputWidth, int inputHeight, Letterbox letterbox)
    {
        var priors = scores.Length / 2;
        if (boxes.Length != priors * 4)
            throw new ArgumentException($"{priors} scores need {priors * 4} box values, not {boxes.Length}", nameof(boxes));
        var found = new List<FaceBox>();
        for (var i = 0; i < priors; i++)
        {
            var score = scores[2 * i + 1];
            if (score < scoreThreshold) continue;
            var (x0, y0) = letterbox.ToImage(boxes[4 * i] * inputWidth, boxes[4 * i + 1] * inputHeight);
            var (x1, y1) = letterbox.ToImage(boxes[4 * i + 2] * inputWidth, boxes[4 * i + 3] * inputHeight);
            if (x1 > x0 && y1 > y0) found.Add(new FaceBox(x0, y0, x1, y1, score));
        }
        return found;
    }
}
