using System.Globalization;
using Fer.Contracts;
using Fer.Training.Runs;
using ScottPlot;

namespace Fer.Training.Evaluation;

/// <summary>The report's PNG plots (ScottPlot): confusion matrix, one-vs-rest ROC curves, loss and accuracy per epoch,
/// validation accuracy against wall-clock minutes.</summary>
public static class ReportPlots
{
    public const string ConfusionMatrixFile = "confusion_matrix.png";
    public const string RocCurvesFile = "roc_curves.png";
    public const string LossFile = "loss.png";
    public const string AccuracyFile = "accuracy.png";
    public const string TimeToAccuracyFile = "time_to_accuracy.png";

    public static void ConfusionMatrix(string path, ClassificationMetrics metrics)
    {
        var k = metrics.Classes.Count;
        var plot = new Plot();
        // Rows normalised by support, so the colour shows recall per class; the cells print the raw counts.
        var intensities = new double[k, k];
        for (var row = 0; row < k; row++)
        {
            var support = Math.Max(1, metrics.ConfusionMatrix[row].Sum());
            for (var col = 0; col < k; col++) intensities[row, col] = (double)metrics.ConfusionMatrix[row][col] / support;
        }
        var heatmap = plot.Add.Heatmap(intensities);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Extent = new CoordinateRect(-0.5, k - 0.5, -0.5, k - 0.5);
        for (var row = 0; row < k; row++)
        for (var col = 0; col < k; col++)
        {
            var text = plot.Add.Text(metrics.ConfusionMatrix[row][col].ToString(CultureInfo.InvariantCulture), col, k - 1 - row);
            text.LabelAlignment = Alignment.MiddleCenter;
            text.LabelFontColor = intensities[row, col] > 0.5 ? Colors.Black : Colors.White;
        }
        var names = metrics.Classes.Select(c => c.Name).ToArray();
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, k).Select(i => (double)i).ToArray(), names);
        plot.Axes.Left.SetTicks(Enumerable.Range(0, k).Select(i => (double)(k - 1 - i)).ToArray(), names);
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);
        plot.Title("Confusion matrix (colour: share of the true class)");
        plot.XLabel("predicted");
        plot.YLabel("true");
        plot.SavePng(path, 720, 640);
    }

    public static void RocCurves(string path, IReadOnlyList<RocCurve> curves)
    {
        var plot = new Plot();
        foreach (var curve in curves)
        {
            var line = plot.Add.ScatterLine(curve.FalsePositiveRate, curve.TruePositiveRate);
            line.LegendText = curve.Auc is { } auc ? $"{curve.Name} (AUC {auc.ToString("F3", CultureInfo.InvariantCulture)})" : $"{curve.Name} (no AUC)";
        }
        var chance = plot.Add.ScatterLine(new double[] { 0, 1 }, new double[] { 0, 1 }, Colors.Gray);
        chance.LinePattern = LinePattern.Dashed;
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.Title("ROC, one class vs the rest");
        plot.XLabel("false positive rate");
        plot.YLabel("true positive rate");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 720, 640);
    }

    /// <summary>Training and validation curves over the epochs of every phase (x: epochs counted across phases), and
    /// validation accuracy and macro-F1 against the minutes the epochs took (training and validation; not the
    /// start-up, the test evaluation or the export).</summary>
    public static void History(string directory, IReadOnlyList<EpochRecord> history)
    {
        var x = Enumerable.Range(1, history.Count).Select(i => (double)i).ToArray();
        Curves(Path.Combine(directory, LossFile), "Loss per epoch", "loss", x,
            ("train", history.Select(h => h.TrainLoss)), ("validation", history.Select(h => h.ValidationLoss)), history);
        Curves(Path.Combine(directory, AccuracyFile), "Accuracy per epoch", "accuracy", x,
            ("train", history.Select(h => h.TrainAccuracy)), ("validation", history.Select(h => h.ValidationAccuracy)), history,
            ("validation macro-F1", history.Select(h => h.ValidationMacroF1)));
        TimeToAccuracy(Path.Combine(directory, TimeToAccuracyFile), history);
    }

    private static void TimeToAccuracy(string path, IReadOnlyList<EpochRecord> history)
    {
        var total = 0.0;
        var minutes = history.Select(h => (total += h.Seconds) / 60).ToArray();
        var plot = new Plot();
        plot.Add.Scatter(minutes, history.Select(h => h.ValidationAccuracy).ToArray()).LegendText = "validation accuracy";
        plot.Add.Scatter(minutes, history.Select(h => h.ValidationMacroF1).ToArray()).LegendText = "validation macro-F1";
        plot.Title("Validation accuracy against training time");
        plot.XLabel("wall-clock minutes of training and validation");
        plot.YLabel("accuracy / macro-F1");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, 840, 480);
    }

    private static void Curves(string path, string title, string yLabel, double[] x, (string Name, IEnumerable<double> Values) first,
        (string Name, IEnumerable<double> Values) second, IReadOnlyList<EpochRecord> history, (string Name, IEnumerable<double> Values)? third = null)
    {
        var plot = new Plot();
        foreach (var (name, values) in third is { } t ? [first, second, t] : new[] { first, second })
        {
            var line = plot.Add.Scatter(x, values.ToArray());
            line.LegendText = name;
        }
        // Mark where a new phase begins.
        for (var i = 1; i < history.Count; i++)
            if (history[i].Phase != history[i - 1].Phase) plot.Add.VerticalLine(i + 0.5, pattern: LinePattern.Dotted);
        plot.Title(title);
        plot.XLabel("epoch (all phases)");
        plot.YLabel(yLabel);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        // Outside the data area: inside, it covered the last epoch's points.
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, 840, 480);
    }
}
