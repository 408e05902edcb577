using System.Globalization;
using System.Text;

namespace Fer.Training.Evaluation;

/// <summary>The per-class table in the layout of scikit-learn's <c>classification_report</c>, as the seed prints it.</summary>
public static class ClassificationReport
{
    private static readonly string[] Headers = ["precision", "recall", "f1-score", "support"];

    public static string Format(ClassificationMetrics metrics, int digits = 4)
    {
        var width = Math.Max(metrics.Classes.Max(c => c.Name.Length), Math.Max("weighted avg".Length, digits));
        var text = new StringBuilder();
        text.Append(new string(' ', width + 1));
        foreach (var header in Headers) text.Append(CultureInfo.InvariantCulture, $" {header,9}");
        text.Append("\n\n");
        foreach (var c in metrics.Classes) Row(text, width, digits, c.Name, c.Precision, c.Recall, c.F1, c.Support);
        text.Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"{"accuracy".PadLeft(width)}  {"",9} {"",9} {Number(metrics.Accuracy, digits),9} {metrics.Count,9}\n");
        var classes = metrics.Classes;
        Row(text, width, digits, "macro avg", classes.Average(c => c.Precision), classes.Average(c => c.Recall), metrics.MacroF1, metrics.Count);
        Row(text, width, digits, "weighted avg", classes.Sum(c => c.Precision * c.Support) / metrics.Count,
            classes.Sum(c => c.Recall * c.Support) / metrics.Count, metrics.WeightedF1, metrics.Count);
        return text.ToString();
    }

    private static void Row(StringBuilder text, int width, int digits, string name, double precision, double recall, double f1, int support) =>
        text.Append(CultureInfo.InvariantCulture,
            $"{name.PadLeft(width)}  {Number(precision, digits),9} {Number(recall, digits),9} {Number(f1, digits),9} {support,9}\n");

    private static string Number(double value, int digits) => value.ToString("F" + digits, CultureInfo.InvariantCulture);
}
