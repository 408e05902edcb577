using System.Diagnostics;
using Fer.AppHost.Supervision;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fer.Tests.AppHost;

public sealed class ChildRegistryTests
{
    [Fact]
    public async Task ChildrenOfAnAppHostThatDiedHard_AreKilledByTheNextOne()
    {
        var state = Directory.CreateTempSubdirectory("fer-children-").FullName;
        using var orphan = Process.Start("sleep", "300");
        try
        {
            new ChildRegistry(state, NullLogger<ChildRegistry>.Instance).Add(orphan.Id);

            var killed = new ChildRegistry(state, NullLogger<ChildRegistry>.Instance).SweepLeftovers();

            Assert.Equal(1, killed);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await orphan.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, new ChildRegistry(state, NullLogger<ChildRegistry>.Instance).SweepLeftovers());
        }
        finally
        {
            if (!orphan.HasExited) orphan.Kill();
            Directory.Delete(state, recursive: true);
        }
    }
}
