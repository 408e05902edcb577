namespace Fer.AppHost.Hosting;

/// <summary>The registry's Redis: referenced as ConnectionStrings__&lt;name&gt;.</summary>
public sealed class RedisResource(string name) : Resource(name)
{
    public override string Kind => "redis";
}
