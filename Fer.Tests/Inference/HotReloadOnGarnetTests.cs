using Fer.Tests.Infrastructure;

namespace Fer.Tests.Inference;

/// <summary>The model lifecycle on embedded Garnet: pointer, verified fetch and pub/sub work the same as on Redis.</summary>
public sealed class HotReloadOnGarnetTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>
{
    [Fact]
    public Task BeforeTheFirstModel_TheServiceIsAliveButNotReady_AndServesOnceOneIsPromoted() =>
        HotReloadTests.NotReadyUntilTheFirstPromotionAsync(garnet.ConnectionString);
}
