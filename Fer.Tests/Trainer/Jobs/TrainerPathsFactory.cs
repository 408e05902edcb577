using Fer.Tests.Infrastructure;
using Fer.Trainer.Extensions;
using Fer.Trainer.Jobs;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace Fer.Tests.Trainer.Jobs;

internal static class TrainerPathsFactory
{
    public static TrainerPaths Create(TrainerOptions? options = null, string? contentRoot = null) =>
        new(Options.Create(options ?? new TrainerOptions()), new HostingEnvironment { ContentRootPath = contentRoot ?? RepositoryPaths.Root });
}
