namespace Fer.AppHost.Hosting;

/// <summary>What AddRedis/AddProject hand back, for the fluent With*/WaitFor calls.</summary>
public interface IResourceBuilder<out T> where T : Resource
{
    T Resource { get; }
}
