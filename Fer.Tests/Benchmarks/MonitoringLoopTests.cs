using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Fer.Benchmarks;
using Fer.Gateway.Limits;
using Fer.Registry;
using Fer.Registry.Model;
using Fer.Tests.Infrastructure;
using Fer.Tests.Trainer.Apis;

namespace Fer.Tests.Benchmarks;

/// <summary>The monitoring loop's command line (defaults under the gateway's limit, a clear error for what is wrong),
/// and what it does against a real trainer before and after its traffic: a wrong admin key stops it before anything
/// changes, the policy it sets is one the trainer takes, and the operator's policy comes back when it ends. The whole
/// loop against the AppHost is recorded in docs/monitoring.md.</summary>
[Collection(TrainerCollection.Name)]
public sealed class MonitoringLoopTests(TrainerFixture fixture)
{
    private static readonly string[] Required = ["--gateway", "http://localhost:8080", "--admin-key", "k"];

    [Fact]
    public void Defaults_ReplayDarkenedFaces_AndStayUnderTheGatewaysDefaultLimit_WithLabels()
    {
        var options = MonitoringLoopOptions.Parse(Required);
        Assert.Equal((FaceShift.Darkened, 4, 60), (options.Shift, options.Concurrency, options.Labels));
        var limits = new LimitsOptions(); // predictions and labels share one budget per client
        Assert.True(options.Rate + options.FeedbackRate < limits.PredictPermitLimit / limits.PredictWindow.TotalSeconds,
            $"{options.Rate} + {options.FeedbackRate} a second would meet the gateway's limit");

        var chosen = MonitoringLoopOptions.Parse([.. Required, "--shift", "Occluded", "--rate", "0", "--minutes", "0.5", "--data", "/d"]);
        Assert.Equal((FaceShift.Occluded, 0.0, TimeSpan.FromSeconds(30), "/d"), (chosen.Shift, chosen.Rate, chosen.Limit, chosen.Data));
    }

    [Theory]
    [InlineData(new[] { "--admin-key", "k" }, "--gateway needs the gateway's http address")]
    [InlineData(new[] { "--gateway", "localhost:8080", "--admin-key", "k" }, "--gateway needs the gateway's http address")]
    [InlineData(new[] { "--gateway", "http://localhost:8080", "--admin-key", " " }, "no admin key: pass --admin-key or set FER_ADMIN_KEY")]
    [InlineData(new[] { "--shift", "dim" }, "--shift is clean, darkened, blurred or occluded, not dim")]
    [InlineData(new[] { "--shift", "1" }, "--shift is clean, darkened, blurred or occluded, not 1")]
    [InlineData(new[] { "--labels", "0" }, "--labels and --epochs need positive numbers")]
    [InlineData(new[] { "--rate", "fast" }, "--rate needs a number, not fast")]
    [InlineData(new[] { "--feedback-rate", "0" }, "--feedback-rate, --alarm-minutes and --minutes need positive numbers")]
    [InlineData(new[] { "--epochs", "2.5" }, "--epochs needs a whole number, not 2.5")]
    [InlineData(new[] { "--labels" }, "--labels needs a value")]
    [InlineData(new[] { "--redis", "h:1" }, "unknown option --redis")]
    public void BadInput_IsRefused_SayingWhy(string[] args, string expected)
    {
        var all = args.Contains("--gateway") || args.Contains("--admin-key") ? args : [.. Required, .. args];
        var error = Assert.Throws<ArgumentException>(() => MonitoringLoopOptions.Parse(all));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGatewayThatIsNotThere_IsSaidSo_WithWhatToStart()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var options = MonitoringLoopOptions.Parse(["--gateway", $"http://127.0.0.1:{port}", "--admin-key", "k"]);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => MonitoringLoop.RunAsync(options, TextWriter.Null, CancellationToken.None));
        Assert.Contains($"the gateway at http://127.0.0.1:{port}/ is not reachable", error.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project Fer.AppHost", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgainstTheRealTrainer_AWrongKeyChangesNothing_AndTheOperatorsPolicyComesBackWhenTheLoopEnds()
    {
        // The trainer serves every read and the policy the loop uses (and checks the admin key as the gateway does);
        // /predict is the replicas', so here its traffic fails and the loop runs out of time, a failure it must survive.
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix());
        var registry = trainer.Service<ModelRegistry>();
        var production = await registry.PublishAsync(new ModelPublishRequest
        {
            Onnx = new Random(27).GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 10_000),
            MetricsJson = """{"valMacroF1":0.1}""",
            ImageSize = 64,
            DatasetFingerprint = "test",
        }, CancellationToken.None);
        await registry.PromoteAsync(production.Version);
        var operators = new { enabled = false, newLabels = 500, coolDown = "12:00:00" };
        Assert.Equal(HttpStatusCode.OK, (await trainer.Client.PutAsJsonAsync("/feedback/policy", operators)).StatusCode);
        var before = await PolicyAsync(trainer);

        var wrongKey = MonitoringLoopOptions.Parse(["--gateway", trainer.Address.ToString(), "--admin-key", "not-the-key"]);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => MonitoringLoop.RunAsync(wrongKey, TextWriter.Null, CancellationToken.None));
        Assert.Contains("refused the admin key (403", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before.GetRawText(), (await PolicyAsync(trainer)).GetRawText());

        var shortRun = MonitoringLoopOptions.Parse(["--gateway", trainer.Address.ToString(), "--admin-key", TrainerTestApp.AdminKey, "--minutes", "0.1"]);
        using var output = new StringWriter();
        Assert.Equal(1, await MonitoringLoop.RunAsync(shortRun, output, CancellationToken.None));
        var printed = output.ToString();
        Assert.Contains("the loop's: {\"enabled\":true,\"newLabels\":60,", printed, StringComparison.Ordinal); // the trainer took it
        Assert.Contains("outcome: timed out", printed, StringComparison.Ordinal);
        Assert.Contains("the loop did NOT close", printed, StringComparison.Ordinal);
        var after = await PolicyAsync(trainer);
        Assert.Equal((false, 500, "12:00:00"), (after.GetProperty("enabled").GetBoolean(), after.GetProperty("newLabels").GetInt32(), after.GetProperty("coolDown").GetString()));

        // Interrupted (what Ctrl+C does) once the loop's policy is in place: the operator's comes back too.
        using var interrupt = new CancellationTokenSource();
        var interrupted = MonitoringLoop.RunAsync(MonitoringLoopOptions.Parse(
            ["--gateway", trainer.Address.ToString(), "--admin-key", TrainerTestApp.AdminKey]), TextWriter.Null, interrupt.Token);
        await Poll.UntilAsync(() => PolicyAsync(trainer), p => p.GetProperty("enabled").GetBoolean(), TimeSpan.FromMinutes(1), "the loop's policy");
        await interrupt.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => interrupted);
        Assert.Equal(500, (await PolicyAsync(trainer)).GetProperty("newLabels").GetInt32());
    }

    private static async Task<JsonElement> PolicyAsync(TrainerTestApp trainer) =>
        (await trainer.Client.GetFromJsonAsync<JsonElement>("/feedback/policy")).GetProperty("policy");
}
