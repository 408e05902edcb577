using Fer.Registry.Extensions;
using Fer.Trainer.Apis;
using Fer.Trainer.Cli;
using Fer.Trainer.Extensions;

if (TrainerCommandLine.IsCommand(args))
    return await TrainerCommandLine.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.UseDefaultUrl(TrainerDefaults.Url);
builder.AddRedis();
builder.AddTrainerServices();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapServiceInfoApi();
app.MapTrainApi();
app.MapModelsApi();
await app.RunAsync();
return 0;
