using Fer.Training.Onnx;

namespace Fer.Benchmarks;

/// <summary>Where the benchmarks read FER2013's test images: <c>--data DIR</c>'s <c>test</c> folder, else the one in
/// ../shared/data/fer2013 beside the repository.</summary>
public static class Fer2013TestFolder
{
    public static string Locate(string? data) => Path.Combine(
        data ?? ProbeBatch.LocateFer2013(AppContext.BaseDirectory)
        ?? throw new DirectoryNotFoundException("no ../shared/data/fer2013 beside the repository; pass --data DIR"), "test");
}
