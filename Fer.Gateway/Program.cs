using Fer.Gateway.Apis;
using Fer.Gateway.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.UseDefaultUrl(GatewayDefaults.Url);
builder.AddGatewayServices();

var app = builder.Build();
app.UseGatewayPipeline();
app.MapDefaultEndpoints();
app.MapServiceInfoApi();
app.MapGatewayProxy();
await app.RunAsync();
