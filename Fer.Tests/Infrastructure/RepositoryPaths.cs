namespace Fer.Tests.Infrastructure;

/// <summary>Finds the repository (the folder holding Fer.sln) and the read-only ../shared beside it.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Fer2013 => Path.Combine(Shared, "data", "fer2013");

    /// <summary>The first FER2013 test image of <paramref name="emotion"/> in file-name order: the same face every run.</summary>
    public static string FirstTestImage(string emotion) =>
        Directory.EnumerateFiles(Path.Combine(Fer2013, "test", emotion), "*.jpg").Order(StringComparer.Ordinal).First();

    public static string EfficientNetFixture => Path.Combine(Shared, "fixtures", "torchvision-efficientnet_v2_s");

    /// <summary>A file of <paramref name="project"/>'s own build output, in this test build's configuration (Release
    /// unless the tests run from Debug): executables run from there, beside their dependency lists.</summary>
    public static string BuildOutput(string project, string file) =>
        Path.Combine(Root, project, "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name is { Length: > 0 } configuration ? configuration : "Release",
            "net10.0", file);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Fer.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Fer.sln above {AppContext.BaseDirectory}");
    }
}
