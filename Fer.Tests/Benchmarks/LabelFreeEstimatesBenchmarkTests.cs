using System.Globalization;
using Fer.Benchmarks;
using Fer.Tests.Infrastructure;

namespace Fer.Tests.Benchmarks;

/// <summary>The <c>label-free-estimates</c> command on a few FER2013 faces per class: a row for every tested and untested
/// shift with every estimate's error, the solve's timing, and clear errors for what it cannot use.</summary>
public sealed class LabelFreeEstimatesBenchmarkTests
{
    private static readonly string BundledModel = Path.Combine(RepositoryPaths.Root, "Fer.Trainer", "BundledModel", "model.onnx");

    [Fact]
    public void PrintsEveryShiftsAccuracyAndEachEstimatesError()
    {
        var output = new StringWriter();
        var exit = LabelFreeEstimatesBenchmark.Run(LabelFreeEstimatesOptions.Parse(["--max-per-class", "20", "--data", RepositoryPaths.Fer2013]), output);

        Assert.Equal(0, exit);
        var rows = output.ToString().Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| shift", StringComparison.Ordinal))
            .Select(l => l.Trim().Trim('|').Split('|', StringSplitOptions.TrimEntries)).ToList();
        Assert.Equal(Enum.GetValues<FaceShift>().Length + UntestedShifts.All.Count, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.Equal(7, row.Length);
            Assert.InRange(double.Parse(row[1], CultureInfo.InvariantCulture), 0, 1);
            Assert.All(row[2..], cell => Assert.InRange(double.Parse(cell, CultureInfo.InvariantCulture), -1, 1));
        });
        var accuracy = rows.ToDictionary(r => r[0], r => double.Parse(r[1], CultureInfo.InvariantCulture));
        Assert.True(accuracy["occluded"] < accuracy["clean"], $"occluding the lower face should cost accuracy: {output}");
        Assert.Contains("transport solve over 140 faces", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesASecondModelThatAnswersLikeTheFirst()
    {
        var error = Assert.Throws<ArgumentException>(() => LabelFreeEstimatesBenchmark.Run(LabelFreeEstimatesOptions.Parse(
            ["--max-per-class", "20", "--data", RepositoryPaths.Fer2013, "--second-model", BundledModel]), TextWriter.Null));
        Assert.Contains("trained apart", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--max-per-class", "-1", "--max-per-class needs 0")]
    [InlineData("--bogus", "1", "unknown option --bogus")]
    public void RefusesBadOptions_SayingWhy(string option, string value, string expected) =>
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => LabelFreeEstimatesOptions.Parse([option, value])).Message, StringComparison.Ordinal);
}
