namespace Fer.Tests.AppHost;

[Trait("Category", "Slow")]
[Collection(AppHostSystemCollection.Name)]
public sealed class ManifestTests
{
    [Fact]
    public async Task PublishingTheManifest_DeclaresRedisAsAContainer_TheServicesAsProjects_TheAdminKeyAsASecret_AndReplicasWithoutReadyToRunCode()
    {
        var resources = await AspireManifest.PublishAsync();
        var redis = resources.GetProperty("redis");
        Assert.StartsWith("container.", redis.GetProperty("type").GetString());
        Assert.StartsWith("docker.io/library/redis", redis.GetProperty("image").GetString());
        foreach (var project in new[] { "trainer", "gateway", "inference-0", "inference-1" })
            Assert.StartsWith("project.", resources.GetProperty(project).GetProperty("type").GetString());
        Assert.False(resources.TryGetProperty("garnet", out _), "Garnet is for local runs only");
        var adminKey = resources.GetProperty("admin-key").GetProperty("inputs").GetProperty("value");
        Assert.True(adminKey.GetProperty("secret").GetBoolean());
        Assert.Contains("{admin-key.value}", resources.GetProperty("gateway").GetProperty("env").GetProperty("FER_ADMIN_KEY").GetString());
        // Replicas run without tiered compilation; ReadyToRun code would then never be optimised (build/ReplicaRuntime.props).
        foreach (var replica in new[] { "inference-0", "inference-1" })
            Assert.Equal("0", resources.GetProperty(replica).GetProperty("env").GetProperty("DOTNET_ReadyToRun").GetString());
    }
}
