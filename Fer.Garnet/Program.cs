using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Fer.Garnet;

// Embedded Garnet as a process of its own: the AppHost's Redis when there is no container runtime and no redis-server.
// Settings: Garnet:Port (the AppHost sets it), Garnet:DataDirectory, Garnet:MemorySize.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddOptions<GarnetHostOptions>().BindConfiguration(GarnetHostOptions.SectionName)
    .ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddHostedService<DurableGarnetServer>();
await builder.Build().RunAsync();
