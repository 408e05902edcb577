using Fer.AppHost.Hosting;
using Fer.AppHost.Redis;
using Fer.AppHost.Registry;
using Fer.AppHost.Training;
using Microsoft.Extensions.Configuration;

// The Fer system. Settings: Fer:* (Fer__InferenceReplicas=3, --Fer:Redis=garnet, ...), ConnectionStrings__redis for an
// existing Redis, FER_ADMIN_KEY for the admin key.
var builder = DistributedApplication.CreateBuilder(args);
builder.AddQuietLoggingDefaults();
builder.WithoutProcessMonitors();
var settings = FerSettings.From(builder.Configuration, builder.AppHostDirectory);
var adminKey = builder.AddAdminKey();

var redisChoice = RedisChoice.Decide(builder.Configuration.GetConnectionString(RedisResourceExtensions.ConnectionName),
    builder.ExecutionContext.IsPublishMode, settings.Redis, ContainerRuntime.Answers, RedisChoice.FindOnPath);
var redis = builder.AddFerRedis(redisChoice, settings);

var trainer = builder.AddProject<Projects.Fer_Trainer>("trainer")
    .RunBuiltProgram()
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/health")
    .WithRedis(redis)
    .WithRegistrySettings(settings)
    .WithEnvironment("Trainer__DataDirectory", settings.DataDirectory)
    .WithEnvironment("Trainer__FallbackDataDirectories__0", settings.FallbackDataDirectory)
    .WithEnvironment("Trainer__RunsDirectory", settings.RunsDirectory)
    .WithEnvironment(AdminKeyParameter.Variable, adminKey)
    .WithEnvironment("ONEDNN_MAX_CPU_ISA", "AVX2") // environment.md: oneDNN's AVX-512 convolutions are wrong here
    .WithTrainingCommands(adminKey)
    .WithTrainingProgress(builder);

// The registry as a resource: production and its metrics as its state, promote and roll back as its commands.
builder.AddModelRegistry("models", redis).WithRegistryCommands(trainer, adminKey);

// One resource per replica (not WithReplicas): each is its own line in the dashboard, and the gateway gets each
// replica's address, so it balances and health-checks them one by one (WithReplicas hides them behind one proxy).
var gateway = builder.AddProject<Projects.Fer_Gateway>("gateway")
    .RunBuiltProgram()
    .WithHttpEndpoint(port: settings.GatewayPort, isProxied: false) // the gateway itself sees each client's address
    .WithHttpHealthCheck("/health")
    .WithUrlForEndpoint("http", url => url.DisplayText = "Product page")
    .WithProductPageMessage()
    .WithReference(trainer)
    .WaitForStart(trainer) // it routes to the trainer but serves without it: no wait for libtorch's self-check
    .WithEnvironment(AdminKeyParameter.Variable, adminKey);

for (var i = 0; i < settings.InferenceReplicas; i++)
{
    // Not behind a DCP proxy: a dead replica then refuses connections, which the gateway retries on another replica.
    var replica = builder.AddProject<Projects.Fer_Inference>($"inference-{i}")
        .RunBuiltProgram()
        .WithHttpEndpoint(port: LoopbackPorts.FreeWhenRunning(builder), isProxied: false)
        .WithHttpHealthCheck("/health") // healthy once it serves a model
        .WithRedis(redis)
        .WithRegistrySettings(settings)
        .WithReplicaRuntime();
    // The gateway starts without a model in production (that is how the first training run gets in): it waits for the
    // replicas to run, and its own health checks route only to replicas that are ready.
    gateway.WithEnvironment($"services__inference__http__{i}", replica.GetEndpoint("http")).WaitForStart(replica);
}

builder.PassTracePlumbing(settings);
builder.WithoutDevelopmentCertificate();
builder.Build().Run();
