using Fer.Trainer.Extensions;

if (TrainerCommandLine.RefusesVerb(args)) return 2;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.UseDefaultUrl(TrainerDefaults.Url);
builder.AddTrainerServices();

var app = builder.Build();
app.MapTrainer();
await app.RunAsync();
return 0;
