using Fer.Benchmarks;
using Fer.Registry.Rollouts;
using Fer.Tests.Infrastructure;

namespace Fer.Tests.Benchmarks;

/// <summary>The rollout benchmarks' command lines: defaults that match the product's, and a clear error for what is
/// missing or wrong.</summary>
public sealed class RolloutBenchmarkOptionsTests
{
    [Fact]
    public void ShadowCost_DefaultsToConcurrency8_AndTheDefaultPlansShadowShare()
    {
        var model = Path.Combine(RepositoryPaths.Root, "Fer.Trainer", "BundledModel", "model.onnx");
        var options = ShadowCostOptions.Parse(["--model", model]);
        Assert.Equal((8, Rollout.DefaultSteps[0].Share), (options.Concurrency, options.Share));
        Assert.Equal(0.25, ShadowCostOptions.Parse(["--model", model, "--share", "0.25"]).Share);
        Assert.False(options.QueueRuleOnly);
        Assert.True(ShadowCostOptions.Parse(["--model", model, "--admission", "queue-only"]).QueueRuleOnly);
        Assert.Null(options.CpuShare);
        Assert.Equal(0.0, ShadowCostOptions.Parse(["--model", model, "--cpu-share", "0"]).CpuShare);
    }

    [Theory]
    [InlineData("--share", "1.5", "--share must be in (0, 1]")]
    [InlineData("--model", "/nonexistent.onnx", "--model /nonexistent.onnx does not exist")]
    [InlineData("--rounds", "0", "need positive numbers")]
    [InlineData("--bogus", "1", "unknown option --bogus")]
    [InlineData("--admission", "free", "--admission is budget or queue-only, not free")]
    [InlineData("--cpu-share", "1.5", "--cpu-share must be in [0, 1]")]
    public void ShadowCost_RefusesBadInput_SayingWhy(string option, string value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ShadowCostOptions.Parse(
            ["--model", Path.Combine(RepositoryPaths.Root, "Fer.Trainer", "BundledModel", "model.onnx"), option, value]));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShadowCost_RefusesABudgetShareWithTheQueueRuleAlone()
    {
        var error = Assert.Throws<ArgumentException>(() => ShadowCostOptions.Parse(
            ["--model", Path.Combine(RepositoryPaths.Root, "Fer.Trainer", "BundledModel", "model.onnx"), "--cpu-share", "0.01", "--admission", "queue-only"]));
        Assert.Contains("give one of them", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RolloutScenario_NeedsTheGatewayTheRedisAndAnAdminKey()
    {
        Assert.Contains("--gateway needs", Assert.Throws<ArgumentException>(() => RolloutScenarioOptions.Parse(["--redis", "h:1", "--admin-key", "k"])).Message, StringComparison.Ordinal);
        Assert.Contains("--redis needs", Assert.Throws<ArgumentException>(() => RolloutScenarioOptions.Parse(["--gateway", "http://localhost:8080", "--admin-key", "k"])).Message, StringComparison.Ordinal);
        var options = RolloutScenarioOptions.Parse(["--gateway", "http://localhost:8080", "--redis", "127.0.0.1:6379", "--admin-key", "k"]);
        Assert.Equal((new Uri("http://localhost:8080"), "fer", 4), (options.Gateway, options.KeyPrefix, options.Concurrency));
    }
}
