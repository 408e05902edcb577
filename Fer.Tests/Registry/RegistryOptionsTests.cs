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
        Assert.True(new DataAnnotationValidateOptions<RegistryOptions>(null).Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("KeyPrefix", "", "Registry:KeyPrefix")]
    [InlineData("KeyPrefix", "a b", "Registry:KeyPrefix")]
    [InlineData("ChunkSizeBytes", "10", "Registry:ChunkSizeBytes")]
    [InlineData("RetainVersions", "0", "Registry:RetainVersions")]
    [InlineData("PendingChunkTtl", "00:00:00", "Registry:PendingChunkTtl")]
    [InlineData("MaxChunksInFlight", "0", "Registry:MaxChunksInFlight must be between 1 and 256")]
    [InlineData("HistoryLimit", "1", "Registry:HistoryLimit must be at least 2")]
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
    [InlineData(1, "v0001-k3x7qa")]
    [InlineData(42, "v0042-k3x7qa")]
    [InlineData(12345, "v12345-k3x7qa")]
    public void VersionIds_FormatAndParse(long number, string text)
    {
        Assert.Equal(text, VersionIds.Format(number, "k3x7qa"));
        Assert.True(VersionIds.TryParse(text, out var parsed, out var generation));
        Assert.Equal((number, "k3x7qa"), (parsed, generation));
    }

    [Theory]
    [InlineData("v1-k3x7qa")]
    [InlineData("v00001-k3x7qa")]
    [InlineData("v0000-k3x7qa")]
    [InlineData("V0001-k3x7qa")]
    [InlineData("v00a1-k3x7qa")]
    [InlineData("v0001")]
    [InlineData("v0001-k3x9q")]
    [InlineData("v0001-K3X9QA")]
    [InlineData("v0001-k3x9q1")]
    [InlineData("")]
    public void VersionIds_RejectAnythingButTheCanonicalForm(string text) => Assert.False(VersionIds.IsValid(text));

    [Fact]
    public void VersionIds_NewGenerations_AreValidAndDiffer()
    {
        var generations = Enumerable.Range(0, 100).Select(_ => VersionIds.NewGeneration()).ToList();
        Assert.All(generations, generation => Assert.True(VersionIds.IsGeneration(generation), generation));
        Assert.Equal(100, generations.Distinct().Count());
    }

    [Fact]
    public void VersionIds_CompareByNumber_BeyondFourDigits() =>
        Assert.Equal(["v0002-aaaaaa", "v9999-aaaaaa", "v10000-aaaaaa"],
            new[] { "v10000-aaaaaa", "v0002-aaaaaa", "v9999-aaaaaa" }.Order(Comparer<string>.Create(VersionIds.Compare)));
}
