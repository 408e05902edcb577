namespace Fer.Tests.Weights;

/// <summary>
/// Paths to the shared torchvision reference fixture and to FER2013, found by walking up from the test assembly to the
/// folder that holds Fer.sln and going to ../shared.
/// </summary>
public static class ReferenceFixture
{
    public const string OfficialFileName = "efficientnet_v2_s.pth";

    public static string RepositoryDirectory { get; } = FindRepository();

    public static string SharedDirectory => Path.GetFullPath(Path.Combine(RepositoryDirectory, "..", "shared"));

    public static string Directory => Path.Combine(SharedDirectory, "fixtures", "torchvision-efficientnet_v2_s");

    public static string WeightFile => Path.Combine(Directory, OfficialFileName);

    public static string Fer2013 => Path.Combine(SharedDirectory, "data", "fer2013");

    public static string File(string name) => Path.Combine(Directory, name);

    /// <summary>A raw little-endian float32 file of the fixture.</summary>
    public static float[] ReadFloats(string name)
    {
        var bytes = System.IO.File.ReadAllBytes(File(name));
        var values = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, values, 0, values.Length * sizeof(float));
        return values;
    }

    /// <summary>A raw little-endian float64 file of this project's float64 reference (Weights/Reference).</summary>
    public static double[] ReadOwnDoubles(string name)
    {
        var bytes = System.IO.File.ReadAllBytes(Path.Combine(RepositoryDirectory, "Fer.Tests", "Weights", "Reference", name));
        var values = new double[bytes.Length / sizeof(double)];
        Buffer.BlockCopy(bytes, 0, values, 0, values.Length * sizeof(double));
        return values;
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Fer.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no Fer.sln above {AppContext.BaseDirectory}");
    }
}
