using Fer.Faces;
using Fer.Faces.Finding;
using Fer.Imaging;

namespace Fer.Training.Evaluation;

/// <summary>How <c>evaluate</c> turns each photo into the face it scores, through the same <see cref="FaceFinder"/> as
/// /predict: in <c>detect</c> mode the largest face found, framed as FER2013's (small images, FER2013's own 48x48 crops
/// among them, are taken whole); <c>whole</c> and <c>centre</c> as /predict takes them. Counts the photos without a face.</summary>
public sealed class PhotoFaces(FaceFinder finder, FaceMode mode)
{
    private int withoutFace;
    private int takenWhole;

    public FaceMode Mode => mode;

    public string Detector => finder.Detector.Name;

    /// <summary>The photos in which no face was found (they are left out of the scores).</summary>
    public int WithoutFace => Volatile.Read(ref withoutFace);

    /// <summary>The photos <c>detect</c> took whole because they are no larger than a face crop.</summary>
    public int TakenWhole => Volatile.Read(ref takenWhole);

    /// <summary>The face to score, or null where none was found. Thread-safe.</summary>
    public FaceImage? Crop(byte[] bytes)
    {
        var found = finder.Find(bytes, mode, FaceImageDecoder.DefaultMaxPixels);
        if (mode == FaceMode.Detect && found.Mode == FaceMode.Whole) Interlocked.Increment(ref takenWhole);
        var faces = found.Faces;
        if (faces.Count > 0) return faces[0].Crop;
        Interlocked.Increment(ref withoutFace);
        return null;
    }
}
