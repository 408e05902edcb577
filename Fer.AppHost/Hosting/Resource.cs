namespace Fer.AppHost.Hosting;

/// <summary>Something the AppHost runs and watches, with the relations declared in Program.cs.</summary>
public abstract class Resource(string name)
{
    public string Name { get; } = name;

    /// <summary>How many copies run side by side (each its own process, port and service.instance.id).</summary>
    public int Replicas { get; internal set; } = 1;

    /// <summary>A fixed, documented port; null: one is allocated on loopback.</summary>
    public int? FixedPort { get; internal set; }

    /// <summary>Resources whose address (connection string or service endpoints) this one is given.</summary>
    public List<Resource> References { get; } = [];

    /// <summary>Resources that must be healthy before this one starts.</summary>
    public List<Resource> WaitsFor { get; } = [];

    /// <summary>Extra environment for every replica.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public abstract string Kind { get; }
}
