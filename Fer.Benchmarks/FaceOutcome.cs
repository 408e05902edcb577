using Fer.Faces;

namespace Fer.Benchmarks;

/// <summary>One face of a composite frame after the pass: its class and true square, its width as a share of the frame's,
/// the classifier's answer on its tight 48x48 crop and on its true square cut from the frame, and per detector the matched
/// box (null: missed) and the answer on each framing's crop (-1 where missed or not classified).</summary>
public sealed record FaceOutcome(int Label, FaceBox Truth, double WidthShare, int Tight, int TrueSquare, FaceBox?[] Boxes, int[][] Predictions);
