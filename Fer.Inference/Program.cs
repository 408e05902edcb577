using Fer.Imaging;
using Fer.Inference.Apis;
using Fer.Inference.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.UseDefaultUrl(InferenceDefaults.Url);
builder.AddInferenceServices();

var app = builder.Build();
app.Logger.LogJpegDecoder(FaceImageDecoder.JpegDecoder);
app.UseProblemDetailsErrors();
app.MapDefaultEndpoints();
app.MapInferenceApi();
await app.RunAsync();
