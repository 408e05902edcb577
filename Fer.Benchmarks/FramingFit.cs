namespace Fer.Benchmarks;

/// <summary>Fits a <see cref="FittedFraming"/> to pairs of detector boxes and true squares: least squares gives the start
/// (mean relative offsets, the side's scale regressed on the box), then a pattern search climbs the mean IoU of the
/// continuous squares, halving its steps until they are below 1e-4.</summary>
public static class FramingFit
{
    public static FittedFraming Fit(FramingShape shape, IReadOnlyList<FacePair> pairs)
    {
        if (pairs.Count == 0) throw new ArgumentException("nothing to fit: no face was detected", nameof(pairs));
        var parameters = Start(shape, pairs);
        var best = MeanIoU(new FittedFraming(shape, parameters), pairs);
        var step = 0.05;
        while (step > 1e-4)
        {
            var improved = false;
            for (var p = 0; p < parameters.Length; p++)
                foreach (var direction in (ReadOnlySpan<double>)[1, -1])
                {
                    var trial = (double[])parameters.Clone();
                    trial[p] += direction * step;
                    var score = MeanIoU(new FittedFraming(shape, trial), pairs);
                    if (score <= best) continue;
                    (parameters, best, improved) = (trial, score, true);
                }
            if (!improved) step /= 2;
        }
        return new FittedFraming(shape, parameters);
    }

    /// <summary>The mean IoU of the continuous framed squares with the true ones (what the fit maximises).</summary>
    public static double MeanIoU(FittedFraming framing, IReadOnlyList<FacePair> pairs)
    {
        var sum = 0.0;
        foreach (var pair in pairs)
        {
            var (centreX, centreY, side) = framing.Continuous(pair.Box);
            sum += SquareIoU(centreX, centreY, side, pair.Truth.CentreX, pair.Truth.CentreY, pair.Truth.Width);
        }
        return sum / pairs.Count;
    }

    private static double[] Start(FramingShape shape, IReadOnlyList<FacePair> pairs)
    {
        var shiftX = pairs.Average(p => (p.Truth.CentreX - p.Box.CentreX) / p.Box.Width);
        var shiftY = pairs.Average(p => (p.Truth.CentreY - p.Box.CentreY) / p.Box.Height);
        if (shape == FramingShape.WidthPlusHeight)
        {
            // Least squares of side = a w + b h: the 2x2 normal equations.
            double ww = 0, wh = 0, hh = 0, ws = 0, hs = 0;
            foreach (var (box, truth) in pairs)
            {
                double w = box.Width, h = box.Height, s = truth.Width;
                (ww, wh, hh, ws, hs) = (ww + w * w, wh + w * h, hh + h * h, ws + w * s, hs + h * s);
            }
            var determinant = ww * hh - wh * wh;
            return [shiftX, shiftY, (ws * hh - hs * wh) / determinant, (hs * ww - ws * wh) / determinant];
        }
        var unit = new FittedFraming(shape, [0, 0, 1]);
        double sideSide = 0, sideTruth = 0;
        foreach (var (box, truth) in pairs)
        {
            var side = unit.Side(box);
            (sideSide, sideTruth) = (sideSide + side * side, sideTruth + side * truth.Width);
        }
        return [shiftX, shiftY, sideTruth / sideSide];
    }

    private static double SquareIoU(double x1, double y1, double side1, double x2, double y2, double side2)
    {
        var width = Math.Min(x1 + side1 / 2, x2 + side2 / 2) - Math.Max(x1 - side1 / 2, x2 - side2 / 2);
        var height = Math.Min(y1 + side1 / 2, y2 + side2 / 2) - Math.Max(y1 - side1 / 2, y2 - side2 / 2);
        if (width <= 0 || height <= 0) return 0;
        var intersection = width * height;
        return intersection / (side1 * side1 + side2 * side2 - intersection);
    }
}
