using Fer.Training.Onnx;

namespace Fer.Tests.Onnx;

/// <summary>Where the shared FER2013 copy lives, found from the test assembly's folder (../shared beside the repository).</summary>
public static class TestData
{
    public static string Fer2013Root =>
        ProbeBatch.LocateFer2013(AppContext.BaseDirectory)
        ?? throw new DirectoryNotFoundException($"No ../shared/data/fer2013 beside the repository holding {AppContext.BaseDirectory}.");
}
