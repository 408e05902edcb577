using System.Net.Http.Json;
using System.Text.Json;
using Fer.Contracts;

namespace Fer.Tests.Gateway;

public sealed class ServiceInfoApiTests
{
    [Fact]
    public async Task Info_GivesThePageTheModelsLabels_InOutputOrder()
    {
        await using var gateway = await GatewayHost.StartAsync([], trainer: null);
        using var client = gateway.CreateClient();

        var info = await client.GetFromJsonAsync<JsonElement>("/api/info");

        Assert.Equal("Fer.Gateway", info.GetProperty("service").GetString());
        Assert.Equal(EmotionLabels.Names, info.GetProperty("labels").EnumerateArray().Select(label => label.GetString()));
    }
}
