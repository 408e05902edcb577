using Fer.AppHost.Hosting;

// The Fer system, declared the way an Aspire AppHost declares it. Settings: AppHost:* (--AppHost:GatewayPort=9090,
// AppHost__InferenceReplicas=3, ...), ConnectionStrings__redis for an existing Redis, FER_ADMIN_KEY for the admin key.
var builder = FerAppBuilder.CreateBuilder(args);

var redis = builder.AddRedis("redis");

var trainer = builder.AddProject<Projects.Fer_Trainer>("trainer")
    .WithReference(redis)
    .WaitFor(redis)
    .WithEnvironment("ONEDNN_MAX_CPU_ISA", "AVX2"); // environment.md: oneDNN's AVX-512 convolutions are wrong here

var inference = builder.AddProject<Projects.Fer_Inference>("inference")
    .WithReplicas(builder.Options.InferenceReplicas)
    .WithReference(redis)
    .WaitFor(redis);

builder.AddProject<Projects.Fer_Gateway>("gateway")
    .WithHttpEndpoint(port: builder.Options.GatewayPort)
    .WithReference(trainer)
    .WithReference(inference)
    .WaitFor(trainer)
    .WaitFor(inference)
    .WithEnvironment(AdminKey.Variable, builder.AdminKey.Value);

return await builder.Build().RunAsync();
