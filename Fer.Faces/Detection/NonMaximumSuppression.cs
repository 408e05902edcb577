namespace Fer.Faces.Detection;

/// <summary>Greedy non-maximum suppression: the best-scoring box is kept, every box overlapping a kept one by more than
/// the threshold (IoU) is dropped, and so on down the scores.</summary>
public static class NonMaximumSuppression
{
    public static List<FaceBox> Apply(IEnumerable<FaceBox> boxes, float iouThreshold)
    {
        var kept = new List<FaceBox>();
        // Ties keep their input order (a stable sort), so the result does not depend on the sort's implementation.
        foreach (var box in boxes.OrderByDescending(b => b.Score))
        {
            var overlaps = false;
            foreach (var k in kept)
                if (k.IoU(box) > iouThreshold)
                {
                    overlaps = true;
                    break;
                }
            if (!overlaps) kept.Add(box);
        }
        return kept;
    }
}
