using Fer.Inference.Apis;
using Fer.Inference.Extensions;
using Fer.Registry.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.UseDefaultUrl(InferenceDefaults.Url);
builder.AddModelRegistry();
builder.AddInferenceServices();

var app = builder.Build();
app.UseInferenceErrors();
app.MapDefaultEndpoints();
app.MapInferenceApi();
await app.RunAsync();
