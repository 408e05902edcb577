using Fer.Registry;
using Fer.Registry.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Fer.Tests.Registry;

public sealed class RegistryOptionsTests
{
    [Fact]
    public void Defaults_AreValid_AndMatchTheDocumentedValues()
    {
        var options = new RegistryOptions();
        Assert.Equal(("fer", 4 * 1024 * 1024, 10), (options.KeyPrefix, options.ChunkSizeBytes, options.RetainVersions));
        Assert.True(new RegistryOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("KeyPrefix", "", "Registry:KeyPrefix")]
    [InlineData("KeyPrefix", "a b", "Registry:KeyPrefix")]
    [InlineData("ChunkSizeBytes", "10", "Registry:ChunkSizeBytes")]
    [InlineData("RetainVersions", "0", "Registry:RetainVersions")]
    [InlineData("PendingChunkTtl", "00:00:00", "Registry:PendingChunkTtl")]
    [InlineData("MaxChunksInFlight", "0", "Registry:MaxChunksInFlight")]
    public async Task AHostWithABadSetting_FailsAtStart_NamingTheKey(string key, string value, string expected)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"Registry:{key}"] = value,
            ["ConnectionStrings:redis"] = "127.0.0.1:1,abortConnect=false,connectTimeout=100",
        });
        builder.AddModelRegistry();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void AddModelRegistry_BindsTheRegistrySection()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Registry:KeyPrefix"] = "staging",
            ["Registry:ChunkSizeBytes"] = "1048576",
            ["Registry:RetainVersions"] = "3",
            ["ConnectionStrings:redis"] = "127.0.0.1:1,abortConnect=false,connectTimeout=100",
        });
        builder.AddModelRegistry();
        using var host = builder.Build();

        var registry = host.Services.GetRequiredService<ModelRegistry>();
        Assert.Equal("staging", registry.Keys.Prefix);
        Assert.Equal("staging:model:v0001:chunk:0", (string?)registry.Keys.Chunk("v0001", 0));
        Assert.Equal(1048576, host.Services.GetRequiredService<IOptions<RegistryOptions>>().Value.ChunkSizeBytes);
    }

    [Theory]
    [InlineData(1, "v0001")]
    [InlineData(42, "v0042")]
    [InlineData(12345, "v12345")]
    public void VersionIds_FormatAndParse(long number, string text)
    {
        Assert.Equal(text, VersionIds.Format(number));
        Assert.True(VersionIds.TryParse(text, out var parsed));
        Assert.Equal(number, parsed);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v00001")]
    [InlineData("v0000")]
    [InlineData("V0001")]
    [InlineData("v00a1")]
    [InlineData("")]
    public void VersionIds_RejectAnythingButTheCanonicalForm(string text) => Assert.False(VersionIds.IsValid(text));

    [Fact]
    public void VersionIds_CompareByNumber_BeyondFourDigits() =>
        Assert.Equal(["v0002", "v9999", "v10000"], new[] { "v10000", "v0002", "v9999" }.Order(Comparer<string>.Create(VersionIds.Compare)));
}
