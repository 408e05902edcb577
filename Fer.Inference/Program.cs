using Fer.Inference.Apis;
using Fer.Registry.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.UseDefaultUrl(InferenceDefaults.Url);
builder.AddRedis();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapServiceInfoApi();
await app.RunAsync();
