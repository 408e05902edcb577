using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Fer.AppHost.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Fer.AppHost.Training;

/// <summary>
/// Dashboard commands that call the trainer's HTTP API with the admin key: start a training job with the defaults,
/// cancel the running one, promote the newest version, roll production back, start a rollout of the newest version
/// that is not production, abort the rollout.
/// </summary>
public static class TrainerApiCommands
{
    public const string Train = "fer-train";
    public const string Cancel = "fer-cancel";
    public const string Promote = "fer-promote";
    public const string Rollback = "fer-rollback";
    public const string StartRollout = "fer-rollout-start";
    public const string AbortRollout = "fer-rollout-abort";

    public static IResourceBuilder<ProjectResource> WithTrainingCommands(this IResourceBuilder<ProjectResource> trainer,
        IResourceBuilder<ParameterResource> adminKey)
    {
        var api = new TrainerApi(trainer.GetEndpoint("http"), adminKey.Resource);
        trainer.WithCommand(Train, "Start training (defaults)", context => api.RunAsync(context, async (http, token) =>
            {
                var job = await api.SendAsync(http, HttpMethod.Post, "/train", new { }, token);
                return $"started job {job.GetProperty("id").GetString()}";
            }), new CommandOptions { IconName = "Play", UpdateState = WhenHealthy, Description = "POST /train with the trainer's default settings" });
        trainer.WithCommand(Cancel, "Cancel training", context => api.RunAsync(context, async (http, token) =>
            {
                var jobs = await api.SendAsync(http, HttpMethod.Get, "/train", null, token);
                var running = jobs.GetProperty("jobs").EnumerateArray().FirstOrDefault(job => job.GetProperty("state").GetString() is "running" or "queued");
                if (running.ValueKind != JsonValueKind.Object) return "no job is running";
                var id = running.GetProperty("id").GetString();
                await api.SendAsync(http, HttpMethod.Post, $"/train/{id}/cancel", new { }, token);
                return $"cancelled job {id}";
            }), new CommandOptions { IconName = "Stop", UpdateState = WhenHealthy, ConfirmationMessage = "Cancel the running training job?" });
        return trainer;
    }

    public static IResourceBuilder<T> WithRegistryCommands<T>(this IResourceBuilder<T> registry,
        IResourceBuilder<ProjectResource> trainer, IResourceBuilder<ParameterResource> adminKey) where T : IResource
    {
        var api = new TrainerApi(trainer.GetEndpoint("http"), adminKey.Resource);
        registry.WithCommand(Promote, "Promote newest version", context => api.RunAsync(context, async (http, token) =>
            {
                var models = await api.SendAsync(http, HttpMethod.Get, "/models", null, token);
                var newest = models.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()).FirstOrDefault();
                if (newest is null) return "the registry holds no version";
                await api.SendAsync(http, HttpMethod.Post, $"/models/{newest}/promote", new { reason = "dashboard" }, token);
                return $"promoted {newest}";
            }), new CommandOptions { IconName = "ArrowUp", ConfirmationMessage = "Make the newest version production?" });
        registry.WithCommand(Rollback, "Roll back production", context => api.RunAsync(context, async (http, token) =>
            {
                var change = await api.SendAsync(http, HttpMethod.Post, "/models/rollback", new { reason = "dashboard" }, token);
                return $"production is {change.GetProperty("version").GetString()}";
            }), new CommandOptions { IconName = "ArrowUndo", ConfirmationMessage = "Move production back to the previous version?" });
        registry.WithCommand(StartRollout, "Start rollout of newest version", context => api.RunAsync(context, async (http, token) =>
            {
                var models = await api.SendAsync(http, HttpMethod.Get, "/models", null, token);
                var candidate = models.GetProperty("versions").EnumerateArray()
                    .Where(v => !v.GetProperty("isProduction").GetBoolean()).Select(v => v.GetProperty("version").GetString()).FirstOrDefault();
                if (candidate is null) return "no version other than production to roll out";
                var rollout = await api.SendAsync(http, HttpMethod.Post, $"/models/{candidate}/rollout", new { }, token);
                return string.Create(CultureInfo.InvariantCulture,
                    $"rollout of {candidate} started: {rollout.GetProperty("mode").GetString()} {rollout.GetProperty("share").GetDouble() * 100:0.#} %");
            }), new CommandOptions
            {
                IconName = "ArrowTrending",
                ConfirmationMessage = "Put the newest version that is not production in rollout (shadow, then canary, then production if its gates hold)?",
                Description = "POST /models/{version}/rollout for the newest published version that is not production",
            });
        registry.WithCommand(AbortRollout, "Abort rollout", context => api.RunAsync(context, async (http, token) =>
            {
                var decision = await api.SendAsync(http, HttpMethod.Post, "/models/rollout/abort", new { }, token);
                return $"aborted the rollout of {decision.GetProperty("candidate").GetString()}; production stays";
            }), new CommandOptions { IconName = "DismissCircle", ConfirmationMessage = "End the rollout now? Production stays as it is." });
        return registry;
    }

    private static ResourceCommandState WhenHealthy(UpdateCommandStateContext context) =>
        context.ResourceSnapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
            ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    private sealed class TrainerApi(EndpointReference endpoint, ParameterResource adminKey)
    {
        public async Task<ExecuteCommandResult> RunAsync(ExecuteCommandContext context, Func<HttpClient, CancellationToken, Task<string>> call)
        {
            try
            {
                using var http = context.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
                http.BaseAddress = new Uri(endpoint.Url);
                http.DefaultRequestHeaders.Add("X-Api-Key", await adminKey.GetValueAsync(context.CancellationToken));
                return CommandResults.Success(await call(http, context.CancellationToken));
            }
            catch (HttpRequestException e)
            {
                return CommandResults.Failure(e.Message);
            }
        }

        public async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, object? body, CancellationToken token)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            using var response = await http.SendAsync(request, token);
            var text = await response.Content.ReadAsStringAsync(token);
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {Detail(text)}");
            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }

        private static string Detail(string problem)
        {
            try
            {
                using var json = JsonDocument.Parse(problem);
                return json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? problem : problem;
            }
            catch (JsonException)
            {
                return problem;
            }
        }
    }
}
