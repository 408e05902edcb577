using Fer.Gateway.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.UseDefaultUrl(GatewayDefaults.Url);

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapServiceInfoApi();
await app.RunAsync();
