using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Fer.Tests.AppHost;
using Fer.Tests.Infrastructure;
using Fer.Tests.Trainer.Apis;
using Xunit.Abstractions;

namespace Fer.Tests.Kubernetes.MultiHost;

/// <summary>
/// The proof that cannot be a cluster here (docs/kubernetes.md): the built services (the programs their images hold,
/// started from their build output as from an image's /app; a publish copies 2.5 GB here) on five hosts (network
/// namespaces, each its own address), each given exactly what deploy/kubernetes gives its pod (environment, arguments,
/// volumes as folders, names as the cluster's DNS resolves them), and the system tested across the network: /predict
/// through the gateway, a training run published on one host and hot-reloaded on the others, a replica's host cut off
/// and back, Redis's host cut off, its server killed and restarted from its volume, and back.
/// </summary>
[Trait("Category", "Slow")]
[Collection(AppHostSystemCollection.Name)]
public sealed class MultiHostTests(ITestOutputHelper output)
{
    private const int HttpPort = 8080;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private readonly Stopwatch clock = Stopwatch.StartNew();

    [RootFact]
    public async Task TheDeployment_ServesTrainsAndReloads_AcrossHosts_AndRidesOutAReplicaAndRedisCutOff()
    {
        var deployment = KubernetesDeployment.Overlay("cpu");
        using var data = new TinyFerData();
        var volumes = Directory.CreateTempSubdirectory("fer-volumes-").FullName;
        using var network = new HostNetwork();
        try
        {
            var redisHost = network.AddHost("redis", 10);
            var trainerHost = network.AddHost("trainer", 11);
            var replicaHosts = new[] { network.AddHost("inference-0", 20), network.AddHost("inference-1", 21) };
            var gatewayHost = network.AddHost("gateway", 30);
            network.Resolve(new Dictionary<string, string>
            {
                ["redis"] = redisHost.Address,
                ["trainer"] = trainerHost.Address,
                ["inference-0.inference"] = replicaHosts[0].Address,
                ["inference-1.inference"] = replicaHosts[1].Address,
                ["gateway"] = gatewayHost.Address,
                // Where telemetry goes (the fer-telemetry ConfigMap): this machine, where nothing listens.
                ["otel-collector.observability.svc.cluster.local"] = network.Gateway,
            });
            var secrets = new Dictionary<string, string>
            {
                ["admin-key"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
                ["redis-password"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), // URL-safe, as docs/kubernetes.md asks
            };
            string Volume(string name) => Directory.CreateDirectory(Path.Combine(volumes, name)).FullName;
            var trainerData = Volume("trainer-data");
            Directory.CreateSymbolicLink(Path.Combine(trainerData, "fer2013"), data.Root); // the data volume holds FER2013 (a tiny copy)
            var tmp = Volume("tmp");

            HostProcess Run(NetworkHost host, string workload, string podName, string? project, IReadOnlyDictionary<string, string> folders)
            {
                var container = deployment.Workload(workload).Template.Spec.Containers.Single();
                var pod = new PodEnvironment(deployment, container, podName, secrets, folders);
                pod.Variables["HOME"] = tmp;
                return project is null
                    ? host.Start(podName, pod.Arguments[0], pod.Arguments.Skip(1), pod.Variables, volumes)
                    : host.Start(podName, RepositoryPaths.BuildOutput(project, project), pod.Arguments, pod.Variables, Path.GetDirectoryName(RepositoryPaths.BuildOutput(project, project))!);
            }
            var redisFolders = new Dictionary<string, string> { ["data"] = Volume("redis-data") };
            var processes = new List<HostProcess>
            {
                Run(redisHost, "redis", "redis-0", null, redisFolders),
                Run(trainerHost, "trainer", "trainer-0", "Fer.Trainer", new Dictionary<string, string> { ["data"] = trainerData, ["runs"] = Volume("trainer-runs"), ["tmp"] = tmp }),
                Run(replicaHosts[0], "inference", "inference-0", "Fer.Inference", new Dictionary<string, string> { ["tmp"] = tmp }),
                Run(replicaHosts[1], "inference", "inference-1", "Fer.Inference", new Dictionary<string, string> { ["tmp"] = tmp }),
                Run(gatewayHost, "gateway", "gateway-0", "Fer.Gateway", new Dictionary<string, string> { ["tmp"] = tmp }),
            };
            try
            {
                await Scenario(redisHost, replicaHosts, gatewayHost, secrets["admin-key"],
                    () => processes.Add(Run(redisHost, "redis", "redis-0", null, redisFolders)), processes);
            }
            catch (Exception failure) when (failure is not OutOfMemoryException)
            {
                var logs = string.Join("\n", processes.Select(process => $"--- {process.Name}{(process.HasExited ? " (exited)" : "")}:\n{process.Output}"));
                throw new InvalidOperationException($"{failure.Message}\n{logs}", failure);
            }
            finally
            {
                foreach (var process in processes) process.Dispose();
            }
        }
        finally
        {
            Directory.Delete(volumes, recursive: true);
        }
    }

    private async Task Scenario(NetworkHost redisHost, NetworkHost[] replicaHosts, NetworkHost gatewayHost, string adminKey, Action restartRedis, List<HostProcess> processes)
    {
        using var gateway = new HttpClient { BaseAddress = new Uri($"http://{gatewayHost.Address}:{HttpPort}"), Timeout = TimeSpan.FromSeconds(20) };
        gateway.DefaultRequestHeaders.Add("X-Api-Key", adminKey);
        var replicas = replicaHosts.Select(host => new HttpClient { BaseAddress = new Uri($"http://{host.Address}:{HttpPort}"), Timeout = TimeSpan.FromSeconds(10) }).ToArray();
        try
        {
            // 1. /predict through the gateway: the trainer published the model it ships on the empty registry.
            var bundled = await Poll.UntilAsync(() => ProductionAsync(gateway), production => production is not null, Patience, "a production model");
            await Poll.UntilAsync(() => PredictAsync(gateway), answer => answer == bundled, Patience, $"/predict through the gateway to answer with {bundled}");
            Step($"/predict through the gateway answers with {bundled}");

            // 2. A training run on the trainer's host, from the data volume the deployment mounts; promoted, it reaches
            //    both replicas on their own hosts through Redis.
            using var start = await gateway.PostAsJsonAsync("/train", new { imageSize = 64, epochs1 = 1, epochs2 = 1, batchSize = 32, seed = 7, promote = "always" });
            var created = await start.Content.ReadAsStringAsync();
            Assert.True(start.StatusCode == HttpStatusCode.Accepted, $"POST /train: {(int)start.StatusCode} {created}");
            var id = JsonDocument.Parse(created).RootElement.GetProperty("id").GetString()!;
            var job = await Poll.UntilAsync(() => JsonAsync(gateway, $"/train/{id}"),
                job => job?.GetProperty("state").GetString() is "succeeded" or "failed" or "cancelled", AppHostSystemFixture.TinyTrainingTimeout, $"training job {id}");
            Assert.True(job!.Value.GetProperty("state").GetString() == "succeeded", $"the job did not succeed: {job}");
            var trained = job.Value.GetProperty("result").GetProperty("version").GetString()!;
            foreach (var (replica, index) in replicas.Select((replica, index) => (replica, index)))
                await Poll.UntilAsync(() => PredictAsync(replica), answer => answer == trained, Patience, $"inference-{index} to serve {trained}");
            Step($"trained {trained} on the trainer's host; both replicas hot-reloaded it");

            // 3. A replica's host cut off: the gateway routes around it; the replica keeps serving its last model.
            replicaHosts[1].Cut();
            var failures = await ConsecutiveAnswersAsync(gateway, trained, 10);
            Step($"inference-1 cut off: the gateway answered 10 in a row after {failures} failed requests");
            using (var rollback = await gateway.PostAsync("/models/rollback", null))
                Assert.True(rollback.IsSuccessStatusCode, $"POST /models/rollback: {(int)rollback.StatusCode} {await rollback.Content.ReadAsStringAsync()}");
            await Poll.UntilAsync(() => PredictAsync(replicas[0]), answer => answer == bundled, Patience, $"inference-0 to serve {bundled} after the rollback");
            Assert.Equal(trained, await PredictOnHostAsync(replicaHosts[1]));
            Step($"rolled back to {bundled}: inference-0 serves it; inference-1, cut off, still serves {trained} on its own host");
            replicaHosts[1].Reconnect();
            await Poll.UntilAsync(() => PredictAsync(replicas[1]), answer => answer == bundled, Patience, $"inference-1 to catch up with {bundled}");
            Step("inference-1 reconnected and caught up");

            // 4. Redis's host cut off; its server killed (a pod lost with its node) and started again on its volume.
            var before = await JsonAsync(gateway, "/models");
            redisHost.Cut();
            Assert.Equal(bundled, await Poll.UntilAsync(() => PredictAsync(gateway), answer => answer is not null, Patience, "/predict while Redis is cut off"));
            processes.First(process => process.Name == "redis-0").Kill();
            restartRedis();
            redisHost.Reconnect();
            Step("Redis cut off: /predict still answered; its server killed and started again from its append-only file");
            var after = await Poll.UntilAsync(() => JsonAsync(gateway, "/models"), models => models is not null, Patience, "GET /models after Redis came back");
            Assert.Equal(Versions(before!.Value), Versions(after!.Value));
            Assert.Equal(bundled, after.Value.GetProperty("production").GetString());
            using (var promote = await gateway.PostAsync($"/models/{trained}/promote", null))
                Assert.True(promote.IsSuccessStatusCode, $"POST /models/{trained}/promote: {(int)promote.StatusCode} {await promote.Content.ReadAsStringAsync()}");
            foreach (var (replica, index) in replicas.Select((replica, index) => (replica, index)))
                await Poll.UntilAsync(() => PredictAsync(replica), answer => answer == trained, Patience, $"inference-{index} to take the promotion after Redis's restart");
            await Poll.UntilAsync(() => PredictAsync(gateway), answer => answer == trained, Patience, $"/predict through the gateway to answer with {trained}");
            Step($"nothing lost: the same {Versions(after.Value).Count} versions and production; a promotion after the restart reached both replicas");
        }
        finally
        {
            foreach (var replica in replicas) replica.Dispose();
        }
    }

    private void Step(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s  {what}");

    /// <summary>Sends /predict until <paramref name="count"/> in a row answer with <paramref name="version"/>; returns how many failed before.</summary>
    private static async Task<int> ConsecutiveAnswersAsync(HttpClient gateway, string version, int count)
    {
        var (inARow, failed) = (0, 0);
        var deadline = DateTime.UtcNow + Patience;
        while (inARow < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the gateway did not route around the cut-off replica: {failed} failures");
            if (await PredictAsync(gateway) == version) inARow++;
            else (inARow, failed) = (0, failed + 1);
        }
        return failed;
    }

    /// <summary>The version a /predict of a FER2013 face was answered with; null for any failure.</summary>
    private static async Task<string?> PredictAsync(HttpClient client)
    {
        try
        {
            using var content = new ByteArrayContent(await File.ReadAllBytesAsync(RepositoryPaths.FirstTestImage("happy")));
            content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            using var response = await client.PostAsync("/predict", content);
            if (!response.IsSuccessStatusCode) return null;
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("modelVersion").GetString();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>/predict asked on the host itself (from its own loopback), for a host that is cut off.</summary>
    private static async Task<string?> PredictOnHostAsync(NetworkHost host)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "netns", "exec", host.Namespace, "curl", "-s", "-m", "20", "-H", "Content-Type: image/jpeg",
            "--data-binary", "@" + RepositoryPaths.FirstTestImage("happy"), $"http://127.0.0.1:{HttpPort}/predict" })
            start.ArgumentList.Add(argument);
        using var curl = Process.Start(start)!;
        var text = await curl.StandardOutput.ReadToEndAsync();
        await curl.WaitForExitAsync();
        Assert.True(curl.ExitCode == 0, $"curl on {host.Namespace}: exit {curl.ExitCode}: {await curl.StandardError.ReadToEndAsync()}");
        return JsonDocument.Parse(text).RootElement.GetProperty("modelVersion").GetString();
    }

    private static async Task<string?> ProductionAsync(HttpClient gateway) =>
        await JsonAsync(gateway, "/models") is { } models && models.GetProperty("production").ValueKind == JsonValueKind.String
            ? models.GetProperty("production").GetString() : null;

    private static async Task<JsonElement?> JsonAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path);
            return response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static List<string> Versions(JsonElement models) =>
        models.GetProperty("versions").EnumerateArray().Select(version => version.GetProperty("version").GetString()!).ToList();
}
