namespace Fer.Faces.Composites;

/// <summary>Pairs detections with the faces placed in a composite frame, one to one: a detection can only be a face whose
/// true square holds the detection's centre; among those pairs the largest overlaps (IoU) are taken first.</summary>
public static class FaceMatching
{
    /// <summary>For each placed face, the index of its detection, or -1 where none was found.</summary>
    public static int[] Match(IReadOnlyList<PlacedFace> faces, IReadOnlyList<FaceBox> detections)
    {
        var candidates = new List<(int Face, int Detection, float IoU)>();
        for (var f = 0; f < faces.Count; f++)
        {
            var square = faces[f].Square;
            for (var d = 0; d < detections.Count; d++)
            {
                var box = detections[d];
                if (box.CentreX >= square.X0 && box.CentreX < square.X1 && box.CentreY >= square.Y0 && box.CentreY < square.Y1)
                    candidates.Add((f, d, square.IoU(box)));
            }
        }
        var matches = Enumerable.Repeat(-1, faces.Count).ToArray();
        var taken = new bool[detections.Count];
        foreach (var (face, detection, _) in candidates.OrderByDescending(c => c.IoU))
        {
            if (matches[face] >= 0 || taken[detection]) continue;
            matches[face] = detection;
            taken[detection] = true;
        }
        return matches;
    }
}
