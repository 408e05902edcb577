using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fer.Registry;
using Fer.Registry.Extensions;
using Fer.Registry.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Fer.Benchmarks;

/// <summary>
/// Issue 26's scenario against a running system (<c>dotnet run --project Fer.AppHost</c>): publishes four candidates
/// made from production's own file (<see cref="ScenarioModels"/>: outputs shuffled, failing on every face, ten times
/// slower (<see cref="SlowCandidate"/>), and a healthy twin), puts each in rollout through the gateway's API while clients drive /predict, and prints every decision the
/// trainer takes with its reason and the time from the evidence to the decision: from the first look at
/// <c>GET /models/rollout</c> whose gates no longer wait for requests (the evidence on which they decide is in the
/// registry) to the decision's own time.
/// </summary>
public static partial class RolloutScenario
{
    private static readonly TimeSpan Look = TimeSpan.FromMilliseconds(500);

    public static async Task<int> RunAsync(RolloutScenarioOptions options, TextWriter output)
    {
        var images = Directory.GetDirectories(Fer2013TestFolder.Locate(options.Data)).Order(StringComparer.Ordinal)
            .SelectMany(folder => Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).Take(10))
            .Select(File.ReadAllBytes).ToList();
        using var gateway = new HttpClient { BaseAddress = options.Gateway, Timeout = TimeSpan.FromSeconds(60) };
        gateway.DefaultRequestHeaders.Add("X-Api-Key", options.AdminKey);

        var production = (await GetAsync(gateway, "/models")).GetProperty("production").GetString()
            ?? throw new ArgumentException("the system has no production version: train or promote one first");
        if ((await GetAsync(gateway, "/models/rollout")).GetProperty("rollout") is { ValueKind: JsonValueKind.Object } running)
            throw new ArgumentException($"model version {running.GetProperty("candidate").GetString()} is in rollout already: abort it first (POST /models/rollout/abort)");
        var info = await GetAsync(gateway, $"/models/{production}");
        var onnx = await gateway.GetByteArrayAsync($"/models/{production}/onnx");

        using var registryHost = RegistryHost(options);
        var registry = registryHost.Services.GetRequiredService<ModelRegistry>();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{DateTimeOffset.UtcNow:u}: gateway {options.Gateway}, production {production} ({onnx.Length:N0} bytes), {options.Concurrency} clients posting {images.Count} FER2013 test faces to /predict, {Environment.ProcessorCount} cores"));

        var (slow, sizing) = SlowCandidate.Make(onnx, images[0], factor: 10);
        (string Name, byte[] Onnx, string Expected)[] candidates =
        [
            ("outputs shuffled", ScenarioModels.Shuffled(onnx), "rolledBack"),
            ("fails on every face", ScenarioModels.FailingOnFaces(onnx), "rolledBack"),
            ("ten times slower", slow, "rolledBack"),
            ("healthy twin", onnx, "promoted"),
        ];
        var rows = new List<string>();
        var asExpected = true;
        foreach (var (name, bytes, expected) in candidates)
        {
            // Production's own metrics, so that the offline gate passes and the live gates alone decide.
            var version = (await registry.PublishAsync(new ModelPublishRequest
            {
                Onnx = bytes,
                ImageSize = info.GetProperty("imageSize").GetInt32(),
                MetricsJson = info.GetProperty("metrics").GetRawText(),
                ParentVersion = production,
            })).Version;
            output.WriteLine();
            output.WriteLine($"{name}: published as {version}");
            if (ReferenceEquals(bytes, slow)) output.WriteLine($"  sized here: {sizing}");
            var (outcome, row) = await RollOutAsync(gateway, images, version, name, options, output);
            asExpected &= outcome == expected;
            rows.Add(row);
        }

        output.WriteLine();
        output.WriteLine("| candidate | outcome | after | last evidence -> decision | requests answered | failed |");
        output.WriteLine("|---|---|---|---|---|---|");
        rows.ForEach(output.WriteLine);
        output.WriteLine(asExpected ? "\nevery candidate ended as expected" : "\nNOT every candidate ended as expected (shuffled, failing and slow: rolled back; twin: promoted)");
        return asExpected ? 0 : 1;
    }

    private static async Task<(string Outcome, string Row)> RollOutAsync(HttpClient gateway, IReadOnlyList<byte[]> images, string version, string name,
        RolloutScenarioOptions options, TextWriter output)
    {
        var rollout = await SendAsync(gateway, HttpMethod.Post, $"/models/{version}/rollout");
        var id = rollout.GetProperty("id").GetString()!;
        var steps = rollout.GetProperty("steps").EnumerateArray().Select(Describe).ToList();
        var startedAt = DateTimeOffset.UtcNow;
        output.WriteLine($"  rollout {id} started: {string.Join(" -> ", steps)} -> production");

        var clock = Stopwatch.StartNew();
        var readyAt = new Dictionary<int, DateTimeOffset>();
        var seen = new HashSet<string>();
        var step = 0;
        string? outcome = null;
        string lag = "";
        await using (var traffic = new ScenarioTraffic(gateway, images, options.Concurrency))
        {
            while (outcome is null && clock.Elapsed < options.PerCandidate)
            {
                await Task.Delay(Look);
                var state = await GetAsync(gateway, "/models/rollout");
                var now = DateTimeOffset.UtcNow;
                foreach (var decision in state.GetProperty("decisions").EnumerateArray().Reverse()
                    .Where(d => d.GetProperty("rolloutId").GetString() == id && d.GetProperty("kind").GetString() != "started"))
                {
                    var kind = decision.GetProperty("kind").GetString()!;
                    var at = decision.GetProperty("at").GetDateTimeOffset();
                    if (!seen.Add($"{kind}@{at:O}")) continue;
                    lag = readyAt.TryGetValue(step, out var ready)
                        ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (at - ready).TotalSeconds):F1} s")
                        : $"< {Look.TotalSeconds} s (between two looks)";
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  +{(at - startedAt).TotalSeconds,6:F1} s  {kind} at step {step + 1} ({steps[Math.Min(step, steps.Count - 1)]}): {decision.GetProperty("reason").GetString()}; evidence -> decision {lag}; clients: {traffic.Answered} answered, {traffic.Failed} failed, {traffic.RateLimited} turned away by the rate limit"));
                    if (kind == "advanced") step++;
                    else outcome = kind;
                }
                if (outcome is null && state.GetProperty("rollout") is { ValueKind: JsonValueKind.Object } current && current.GetProperty("id").GetString() == id
                    && current.GetProperty("step").GetInt32() == step && state.GetProperty("gates").GetString() is { } gates
                    && !WaitingForRequests().IsMatch(gates))
                    readyAt.TryAdd(step, now);
            }
            if (outcome is null)
            {
                await SendAsync(gateway, HttpMethod.Post, "/models/rollout/abort");
                outcome = "timed out (aborted)";
                output.WriteLine($"  no decision in {options.PerCandidate.TotalMinutes} min: aborted");
            }
            if (traffic.LastFailure is { } failure) output.WriteLine($"  last failed request: {failure}");
            return (outcome, string.Create(CultureInfo.InvariantCulture,
                $"| {name} ({version}) | {outcome} | {clock.Elapsed.TotalSeconds:F0} s | {lag} | {traffic.Answered} | {traffic.Failed} |"));
        }
    }

    private static string Describe(JsonElement step) => string.Create(CultureInfo.InvariantCulture,
        $"{step.GetProperty("mode").GetString()} {step.GetProperty("share").GetDouble() * 100:0.#} %");

    /// <summary>What the gates say while a step still waits for its requests: "37 of 200 requests (shadow 50%)".</summary>
    [GeneratedRegex(@"^\d+ of \d+ requests")]
    private static partial Regex WaitingForRequests();

    private static async Task<JsonElement> GetAsync(HttpClient gateway, string path) => await SendAsync(gateway, HttpMethod.Get, path);

    private static async Task<JsonElement> SendAsync(HttpClient gateway, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post) request.Content = JsonContent.Create(new { });
        using var response = await gateway.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static IHost RegistryHost(RolloutScenarioOptions options)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = options.Redis,
            ["Registry:KeyPrefix"] = options.KeyPrefix,
        });
        builder.AddModelRegistry();
        return builder.Build();
    }
}
