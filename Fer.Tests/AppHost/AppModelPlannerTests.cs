using Fer.AppHost.Hosting;
using Fer.AppHost.Redis;
using Fer.AppHost.Supervision;

namespace Fer.Tests.AppHost;

public sealed class AppModelPlannerTests
{
    private static readonly Uri Otlp = new("http://localhost:18888");

    [Fact]
    public void References_BecomeAspireEnvironmentVariables()
    {
        var builder = FerAppBuilder.Create([]);
        var redis = builder.AddRedis("redis");
        var trainer = builder.AddProject("trainer", "Fer.Trainer/Fer.Trainer.csproj").WithReference(redis).WaitFor(redis)
            .WithEnvironment("ONEDNN_MAX_CPU_ISA", "AVX2");
        var inference = builder.AddProject("inference", "Fer.Inference/Fer.Inference.csproj").WithReplicas(2).WithReference(redis);
        builder.AddProject("gateway", "Fer.Gateway/Fer.Gateway.csproj").WithHttpEndpoint(8080)
            .WithReference(trainer).WithReference(inference).WithEnvironment(AdminKey.Variable, "secret");
        var ports = new Queue<int>([5001, 5002, 5003]);
        var redisPlan = new RedisPlan(RedisMode.RedisServer, "test", "127.0.0.1:6390", "127.0.0.1", 6390, "/usr/bin/redis-server");

        var plans = AppModelPlanner.Plan(builder.Resources, redisPlan, Otlp, ports.Dequeue, "Development");

        var byName = plans.Values.SelectMany(p => p).ToDictionary(p => p.Name);
        Assert.Equal(["gateway-0", "inference-0", "inference-1", "trainer-0"], byName.Keys.Order());
        var trainerEnv = byName["trainer-0"].Environment;
        Assert.Equal("127.0.0.1:6390", trainerEnv["ConnectionStrings__redis"]);
        Assert.Equal("http://127.0.0.1:5001", trainerEnv["ASPNETCORE_URLS"]);
        Assert.Equal("AVX2", trainerEnv["ONEDNN_MAX_CPU_ISA"]);
        Assert.Equal("trainer", trainerEnv["OTEL_SERVICE_NAME"]);
        Assert.Equal("service.instance.id=trainer-0", trainerEnv["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal("http://localhost:18888", trainerEnv["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("http/protobuf", trainerEnv["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.All(new[] { "OTEL_BLRP_SCHEDULE_DELAY", "OTEL_BSP_SCHEDULE_DELAY", "OTEL_METRIC_EXPORT_INTERVAL" },
            key => Assert.Equal("1000", trainerEnv[key]));
        Assert.Equal("service.instance.id=inference-1", byName["inference-1"].Environment["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.False(byName["inference-0"].Environment.ContainsKey("ONEDNN_MAX_CPU_ISA"));

        var gatewayEnv = byName["gateway-0"].Environment;
        Assert.Equal("http://localhost:8080", gatewayEnv["ASPNETCORE_URLS"]);
        Assert.Equal("http://127.0.0.1:5001", gatewayEnv["services__trainer__http__0"]);
        Assert.Equal("http://127.0.0.1:5002", gatewayEnv["services__inference__http__0"]);
        Assert.Equal("http://127.0.0.1:5003", gatewayEnv["services__inference__http__1"]);
        Assert.Equal("secret", gatewayEnv[AdminKey.Variable]);
        Assert.False(gatewayEnv.ContainsKey("ConnectionStrings__redis"));
    }

    [Fact]
    public void StartOrder_PutsDependenciesFirst_AndRejectsCycles()
    {
        var builder = FerAppBuilder.Create([]);
        var a = builder.AddProject("a", "A/A.csproj");
        var b = builder.AddProject("b", "B/B.csproj").WaitFor(a);
        var redis = builder.AddRedis("redis");
        a.WithReference(redis);

        Assert.Equal(["redis", "a", "b"], AppModel.Order(builder.Resources).Select(r => r.Name));

        a.WaitFor(b);
        var error = Assert.Throws<InvalidOperationException>(() => AppModel.Order(builder.Resources));
        Assert.Contains("cycle: a -> b -> a", error.Message);
    }

    [Fact]
    public void BadDeclarations_AreRefusedWithTheReason()
    {
        var builder = FerAppBuilder.Create([]);
        var gateway = builder.AddProject("gateway", "G/G.csproj").WithHttpEndpoint(8080);

        Assert.Contains("fixed port", Assert.Throws<InvalidOperationException>(() => gateway.WithReplicas(2)).Message);
        Assert.Contains("already added", Assert.Throws<InvalidOperationException>(() => builder.AddRedis("gateway")).Message);
        Assert.Contains("lower-case", Assert.Throws<ArgumentException>(() => builder.AddRedis("My_Redis")).Message);
    }

    [Fact]
    public void BadSetting_IsNamedInTheError()
    {
        var error = Assert.Throws<OptionsException>(() => FerAppBuilder.Create(["--AppHost:InferenceReplicas=0"]));
        Assert.Contains("AppHost:InferenceReplicas", error.Message);
        error = Assert.Throws<OptionsException>(() => FerAppBuilder.Create(["--AppHost:Redis=memcached"]));
        Assert.Contains("AppHost:Redis", error.Message);
        error = Assert.Throws<OptionsException>(() => FerAppBuilder.Create(["--AppHost:DashboardUrl=ftp://x:1"]));
        Assert.Contains("AppHost:DashboardUrl", error.Message);
    }

    [Fact]
    public void AdminKey_ComesFromTheEnvironment_OrIsGenerated()
    {
        Assert.Equal(new AdminKey("k", "from FER_ADMIN_KEY"), AdminKey.From("k"));
        var generated = AdminKey.From(null);
        Assert.Equal(32, generated.Value.Length);
        Assert.NotEqual(generated.Value, AdminKey.From("").Value);
    }
}
