using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Fer.AppHost.Dashboard;
using Fer.AppHost.Otlp;
using Fer.AppHost.Redis;
using Fer.AppHost.Supervision;
using Fer.AppHost.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fer.AppHost.Hosting;

/// <summary>
/// Our small stand-in for Aspire's DistributedApplicationBuilder: declare resources and their relations, then
/// Build() plans ports and environment and hosts the dashboard, the OTLP receiver and the supervisor.
/// </summary>
public sealed class FerAppBuilder
{
    private readonly List<Resource> _resources = [];

    private FerAppBuilder(WebApplicationBuilder host, AppHostOptions options, TelemetryLimits limits)
    {
        Host = host;
        Options = options;
        Limits = limits;
        AdminKey = AdminKey.From(host.Configuration[AdminKey.Variable]);
    }

    /// <summary>The web host of the dashboard (configuration: command line, environment, appsettings).</summary>
    public WebApplicationBuilder Host { get; }

    public IConfiguration Configuration => Host.Configuration;
    public AppHostOptions Options { get; }
    public TelemetryLimits Limits { get; }
    public AdminKey AdminKey { get; }

    /// <summary>Everything declared so far, in declaration order.</summary>
    public IReadOnlyList<Resource> Resources => _resources;

    /// <summary>Reads the settings; a bad one ends the process with a one-line message naming it (exit code 2).</summary>
    public static FerAppBuilder CreateBuilder(string[] args)
    {
        try
        {
            return Create(args);
        }
        catch (OptionsException e)
        {
            Console.Error.WriteLine($"Fer.AppHost: {e.Message}");
            Environment.Exit(2);
            throw;
        }
    }

    public static FerAppBuilder Create(string[] args)
    {
        var host = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var options = Bind<AppHostOptions>(host.Configuration, AppHostOptions.Section);
        var limits = Bind<TelemetryLimits>(host.Configuration, TelemetryLimits.Section);
        if (!Uri.TryCreate(options.DashboardUrl, UriKind.Absolute, out var dashboard) || dashboard.Scheme != Uri.UriSchemeHttp || dashboard.Port == 0)
            throw new OptionsException($"{AppHostOptions.Section}:DashboardUrl must be an http URL with a port, like http://localhost:18888 (was '{options.DashboardUrl}')");
        return new FerAppBuilder(host, options, limits);
    }

    public IResourceBuilder<RedisResource> AddRedis(string name) => Add(new RedisResource(name));

    /// <summary>A project referenced by the AppHost's csproj (Projects.Fer_Trainer and so on).</summary>
    public IResourceBuilder<ProjectResource> AddProject<TProject>(string name) where TProject : IProjectMetadata, new() =>
        Add(new ProjectResource(name, new TProject()));

    /// <summary>A project by the path of its .csproj (relative to the current directory).</summary>
    public IResourceBuilder<ProjectResource> AddProject(string name, string projectPath) =>
        Add(new ProjectResource(name, new ProjectPathMetadata(projectPath, BuildConfiguration())));

    public FerApp Build()
    {
        var ordered = AppModel.Order(_resources);
        var ports = new PortAllocator();
        var dashboardUrl = new Uri(Options.DashboardUrl);
        var otlpEndpoint = OtlpEndpoint(dashboardUrl);
        var redisResource = ordered.OfType<RedisResource>().ToList() switch
        {
            [] => null,
            [var one] => one,
            _ => throw new InvalidOperationException("one Redis resource is supported"),
        };
        var redis = redisResource is null ? null : RedisPlanner.Decide(
            Configuration.GetConnectionString(redisResource.Name), Options.Redis, ports.Next, RedisPlanner.FindOnPath);
        var environmentName = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Development";
        var plans = AppModelPlanner.Plan(ordered, redis, otlpEndpoint, ports.Next, environmentName);
        var stateDirectory = RepositoryLayout.StateDirectory(Options.StateDirectory);

        Host.WebHost.ConfigureKestrel(kestrel => DashboardEndpoints.Listen(kestrel, dashboardUrl, Options.OtlpGrpcPort));
        Host.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        Host.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        Host.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(Options.StopTimeoutSeconds * 3 + 10));
        Host.Services.Configure<JsonOptions>(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        Host.Services.AddSingleton(Options);
        Host.Services.AddSingleton(Limits);
        Host.Services.AddSingleton(TimeProvider.System);
        Host.Services.AddSingleton<TraceStore>();
        Host.Services.AddSingleton<LogStore>();
        Host.Services.AddSingleton<MetricStore>();
        Host.Services.AddSingleton<OtlpIngest>();
        Host.Services.AddHttpClient(HealthClient);
        Host.Services.AddGatewayForwarding();
        Host.Services.AddSingleton(services => new AppModel(
            [.. ordered.Select(resource => CreateRuntime(services, resource, plans, redis, stateDirectory))],
            AdminKey, dashboardUrl, otlpEndpoint, Options.OtlpGrpcPort));
        Host.Services.AddSingleton<ProjectBuilds>();
        Host.Services.AddSingleton(services => new ChildRegistry(stateDirectory, services.GetRequiredService<ILogger<ChildRegistry>>()));
        Host.Services.AddSingleton<ResourceSupervisor>();
        Host.Services.AddHostedService(services => services.GetRequiredService<ResourceSupervisor>());

        var app = Host.Build();
        app.MapOtlpHttpApi();
        app.MapOtlpGrpcApi();
        app.MapDashboardApi();
        app.MapGatewayForwarding();
        app.MapDashboardPage();
        return new FerApp(app, redis, stateDirectory);
    }

    private const string HealthClient = "health";

    private ResourceRuntime CreateRuntime(IServiceProvider services, Resource resource,
        IReadOnlyDictionary<Resource, IReadOnlyList<ReplicaPlan>> plans, RedisPlan? redis, string stateDirectory)
    {
        var time = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Fer.AppHost.Resources");
        var settings = SupervisionSettings.From(Options);
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(HealthClient);
        var registry = services.GetRequiredService<ChildRegistry>();
        ConsoleLog Console() => new(Options.ConsoleLines, time);

        switch (resource)
        {
            case RedisResource when redis is not null:
            {
                var name = ResourceNames.Replica(resource.Name, 0);
                var probe = new RedisPingProbe(redis.Host, redis.Port);
                var dataDirectory = Path.Combine(stateDirectory, resource.Name);
                Replica replica = redis.Mode switch
                {
                    RedisMode.External => new ExternalReplica(resource.Name, name, redis.ConnectionString, probe, settings, Console(), time, logger),
                    RedisMode.Garnet => new GarnetReplica(resource.Name, name, redis.Port, dataDirectory, probe, settings, Console(), time, logger),
                    _ => new ProcessReplica(resource.Name, name, $"tcp://{redis.ConnectionString}",
                        RedisServerSpec(redis, dataDirectory), probe, settings, Console(), time, logger, registry),
                };
                return new ResourceRuntime(resource, [replica], $"{redis.Mode}: {redis.Reason}");
            }
            case ProjectResource project:
            {
                var replicas = plans[project].Select(plan => (Replica)new ProcessReplica(resource.Name, plan.Name, plan.Url,
                    new ProcessSpec("dotnet", [project.Project.TargetPath], Path.GetDirectoryName(project.Project.ProjectPath)!, plan.Environment),
                    new HttpHealthProbe(http, new Uri(plan.Url)), settings, Console(), time, logger, registry)).ToList();
                return new ResourceRuntime(resource, replicas, Path.GetFileName(project.Project.ProjectPath));
            }
            default:
                throw new InvalidOperationException($"resource '{resource.Name}' ({resource.Kind}) cannot be run");
        }
    }

    private static ProcessSpec RedisServerSpec(RedisPlan redis, string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        return new ProcessSpec(redis.ServerPath!,
            ["--port", redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
             "--dir", dataDirectory, "--daemonize", "no", "--protected-mode", "yes", "--save", "60 1", "--appendonly", "no"],
            dataDirectory, new Dictionary<string, string>());
    }

    /// <summary>Services send OTLP/HTTP to the dashboard's own port, on loopback where it listens on every address.</summary>
    private static Uri OtlpEndpoint(Uri dashboard)
    {
        var host = dashboard.Host is "0.0.0.0" or "[::]" or "+" or "*" ? "127.0.0.1" : dashboard.Host;
        return new UriBuilder(Uri.UriSchemeHttp, host, dashboard.Port).Uri;
    }

    private IResourceBuilder<T> Add<T>(T resource) where T : Resource
    {
        ResourceNames.Validate(resource.Name);
        if (_resources.Any(existing => existing.Name == resource.Name))
            throw new InvalidOperationException($"a resource named '{resource.Name}' was already added");
        _resources.Add(resource);
        return new ResourceBuilder<T>(resource);
    }

    private static string BuildConfiguration() =>
        new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name is { Length: > 0 } configuration ? configuration : "Debug";

    private static T Bind<T>(IConfiguration configuration, string section) where T : new()
    {
        var value = new T();
        try
        {
            configuration.GetSection(section).Bind(value);
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsException($"{section}: {e.Message}");
        }
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(value, new ValidationContext(value), errors, validateAllProperties: true))
            throw new OptionsException(string.Join("; ", errors.Select(error => $"{section}:{string.Join(",", error.MemberNames)}: {error.ErrorMessage}")));
        return value;
    }
}
