using Fer.Trainer.Cli;
using Fer.Trainer.Extensions;

if (TrainerCommandLine.IsCommand(args))
    return await TrainerCommandLine.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.UseDefaultUrl(TrainerDefaults.Url);
builder.AddTrainerServices();

var app = builder.Build();
app.MapTrainer();
await app.RunAsync();
return 0;
