using Fer.Tests.Infrastructure;

namespace Fer.Tests.Trainer.Apis;

/// <summary>
/// About 140 real FER2013 images in the image-folder layout, in a temporary folder: the first
/// <see cref="TrainPerClass"/> of each class from train/ and <see cref="TestPerClass"/> from test/, so a job runs in seconds.
/// </summary>
public sealed class TinyFerData : IDisposable
{
    public const int TrainPerClass = 16;
    public const int TestPerClass = 4;

    public static readonly string[] Classes = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

    public TinyFerData()
    {
        Root = Directory.CreateTempSubdirectory("fer-tiny-data-").FullName;
        foreach (var (split, count) in new[] { ("train", TrainPerClass), ("test", TestPerClass) })
        {
            foreach (var name in Classes)
            {
                var source = Path.Combine(RepositoryPaths.Fer2013, split, name);
                if (!Directory.Exists(source))
                    throw new InvalidOperationException($"FER2013 is not at {RepositoryPaths.Fer2013} (no {split}/{name}/): the trainer tests need it");
                var target = Directory.CreateDirectory(Path.Combine(Root, split, name)).FullName;
                foreach (var file in Directory.GetFiles(source).Order(StringComparer.Ordinal).Take(count))
                    File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        }
    }

    public string Root { get; }

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
