using Aspire.Hosting.ApplicationModel;

namespace Fer.AppHost.Redis;

/// <summary>The registry's Redis: what services reference (ConnectionStrings__redis) and, when the AppHost runs it,
/// the resource to wait for.</summary>
public sealed record FerRedis(RedisChoice Choice, IResourceBuilder<IResourceWithConnectionString> Connection, IResourceBuilder<IResource>? Server);
