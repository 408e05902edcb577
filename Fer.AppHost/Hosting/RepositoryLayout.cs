namespace Fer.AppHost.Hosting;

/// <summary>Finds the repository (the folder holding Fer.sln) the AppHost was built from.</summary>
public static class RepositoryLayout
{
    public const string SolutionFile = "Fer.sln";

    public static string? FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
        }
        return null;
    }

    /// <summary>The AppHost's state folder: the configured one, else .state/ in the repository (git-ignored), else in the
    /// current directory.</summary>
    public static string StateDirectory(string configured)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured);
        var root = FindRoot(AppContext.BaseDirectory) ?? FindRoot(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory();
        return Path.Combine(root, ".state");
    }
}
