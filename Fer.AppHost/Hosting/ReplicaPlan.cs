namespace Fer.AppHost.Hosting;

/// <summary>One replica as planned before anything starts: its name, port, URL and full environment.</summary>
public sealed record ReplicaPlan(string Resource, string Name, int Index, int Port, string Url, IReadOnlyDictionary<string, string> Environment);
