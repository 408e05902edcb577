using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fer.ServiceDefaults.Security;
using Fer.Tests.Gateway;

namespace Fer.Tests.Trainer.Apis;

/// <summary>Issue 15, finding 6: the trainer's own port changes nothing without the admin key (it used to answer
/// <c>POST /train</c> and promote to anyone who could reach it).</summary>
[Collection(TrainerCollection.Name)]
public sealed class TrainerAdminKeyTests(TrainerFixture fixture)
{
    public static TheoryData<string> Changes => new() { "/train", "/train/job-1/cancel", "/models/v0001-abcdef/promote", "/models/rollback",
        "/models/v0001-abcdef/monitoring-reference" };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task AChange_Is401WithoutTheKey_And403WithAWrongOne_AndStartsNothing(string path)
    {
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix());
        using var anonymous = trainer.AnonymousClient();

        var missing = await anonymous.PostAsJsonAsync(path, new { epochs1 = 1 });
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Contains("X-Api-Key", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var wrong = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { epochs1 = 1 }) };
        wrong.Headers.Add("X-Api-Key", "not-the-admin-key");
        var refused = await anonymous.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var jobs = await trainer.Client.GetFromJsonAsync<JsonElement>("/train");
        Assert.Equal(0, jobs.GetProperty("jobs").GetArrayLength());
    }

    [Fact]
    public async Task Reads_StayOpen_AndTheKeyOpensChanges()
    {
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix());
        using var anonymous = trainer.AnonymousClient();

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/train")).StatusCode);
        // With the key the request reaches the handler: no production version to roll back to is its own 409.
        Assert.Equal(HttpStatusCode.Conflict, (await trainer.Client.PostAsync("/models/rollback", null)).StatusCode);
    }

    /// <summary>Finding 9: the download was open to anyone (and held the whole model in memory per request).</summary>
    [Fact]
    public async Task TheModelDownload_NeedsTheKey()
    {
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix());
        using var anonymous = trainer.AnonymousClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/models/v0001-abcdef/onnx")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await trainer.Client.GetAsync("/models/v0001-abcdef/onnx")).StatusCode);
    }

    [Fact]
    public async Task StartedAlone_WithoutAKey_TheTrainerGeneratesOne_LogsItOnce_AndOnlyItOpensChanges()
    {
        var logs = new CapturedLogs();
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix(), new Dictionary<string, string?> { ["FER_ADMIN_KEY"] = null }, logs);
        var key = trainer.Service<AdminKey>();

        Assert.True(key.Generated);
        Assert.Single(logs.Messages, m => m.Contains(key.Value, StringComparison.Ordinal) && m.Contains("FER_ADMIN_KEY", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, (await trainer.Client.PostAsync("/models/rollback", null)).StatusCode);

        using var withGenerated = trainer.AnonymousClient();
        withGenerated.DefaultRequestHeaders.Add("X-Api-Key", key.Value);
        Assert.Equal(HttpStatusCode.Conflict, (await withGenerated.PostAsync("/models/rollback", null)).StatusCode);
        Assert.Single(logs.Messages, m => m.Contains(key.Value, StringComparison.Ordinal));
    }
}
