using System.Net.Http.Json;
using System.Text.Json;
using Fer.Tests.Infrastructure;
using Fer.Trainer.Extensions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fer.Tests.Trainer.Apis;

/// <summary>
/// The trainer service composed as Program.cs composes it, on a real Kestrel loopback port, against a real Redis,
/// under its own key prefixes (so tests can share one server) and with its own runs folder.
/// </summary>
public sealed class TrainerTestApp : IAsyncDisposable
{
    // Generous: a job takes well under a minute on an idle 2-core machine, but CI machines are shared.
    public static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(8);

    private readonly WebApplication app;
    private readonly string runs;

    /// <summary>FER_ADMIN_KEY of every test trainer (the test gateway's, as under the AppHost, where both get the key it
    /// issues); <see cref="Client"/> sends it.</summary>
    public const string AdminKey = Gateway.GatewayHost.AdminKey;

    private TrainerTestApp(WebApplication app, Uri address, string runs)
    {
        this.app = app;
        this.runs = runs;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };
        Client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
    }

    public Uri Address { get; }

    /// <summary>A client that sends the admin key.</summary>
    public HttpClient Client { get; }

    /// <summary>A client without a key, as anyone who can reach the trainer's port.</summary>
    public HttpClient AnonymousClient() => new() { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(1) };

    public IServiceProvider Services => app.Services;

    /// <summary>The tiny settings a test job uses: seconds, not hours.</summary>
    public static object FastJob(string? promote = null, int epochs1 = 1) =>
        new { imageSize = 64, epochs1, epochs2 = 0, batchSize = 32, seed = 7, promote };

    public static async Task<TrainerTestApp> StartAsync(string redis, string prefix, string dataDirectory,
        IDictionary<string, string?>? extra = null, ILoggerProvider? logs = null)
    {
        var runs = Directory.CreateTempSubdirectory("fer-trainer-runs-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis,
            ["Registry:KeyPrefix"] = $"{prefix}-registry",
            ["Registry:ChunkSizeBytes"] = "1048576",
            ["Trainer:KeyPrefix"] = $"{prefix}-trainer",
            ["Trainer:RunsDirectory"] = runs,
            ["Trainer:DataDirectory"] = dataDirectory,
            ["Trainer:FallbackDataDirectories:0"] = dataDirectory,
            ["Trainer:ProgressSaveInterval"] = "00:00:00.200",
            ["FER_ADMIN_KEY"] = AdminKey,
            // A test starts from an empty registry unless it asks for the shipped model (BundledModelTests).
            ["Trainer:BundledModel:Enabled"] = "false",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;

        var builder = LoopbackApp.CreateBuilder(settings);
        if (logs is not null) builder.Logging.AddProvider(logs);
        builder.AddServiceDefaults();
        builder.AddTrainerServices();
        var app = builder.Build();
        app.MapTrainer();
        return new TrainerTestApp(app, await app.StartOnLoopbackAsync(), runs);
    }

    public T Service<T>() where T : notnull => app.Services.GetRequiredService<T>();

    public async Task<JsonElement> GetJobAsync(string id)
    {
        var response = await Client.GetAsync($"/train/{id}");
        Assert.True(response.IsSuccessStatusCode, $"GET /train/{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Polls the job until <paramref name="until"/> holds, failing with the job's last state on timeout.</summary>
    public async Task<JsonElement> WaitForJobAsync(string id, Func<JsonElement, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? JobTimeout);
        while (true)
        {
            var job = await GetJobAsync(id);
            if (until(job)) return job;
            if (DateTime.UtcNow > deadline) Assert.Fail($"job {id} did not reach the expected state in time; last: {job}");
            await Task.Delay(100);
        }
    }

    /// <summary>Running and past loading: building the feature cache or training, which both stop at a cancel.</summary>
    public static bool IsWorking(JsonElement job) =>
        job.GetProperty("state").GetString() == "running" && job.GetProperty("stage").GetString() is "caching" or "training";

    public Task<JsonElement> WaitUntilFinishedAsync(string id) =>
        WaitForJobAsync(id, job => job.GetProperty("state").GetString() is "succeeded" or "failed" or "cancelled");

    public async Task<string> StartJobAsync(object options)
    {
        var response = await Client.PostAsJsonAsync("/train", options);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"POST /train: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        if (Directory.Exists(runs)) Directory.Delete(runs, recursive: true);
    }
}
