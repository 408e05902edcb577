using Aspire.Hosting.ApplicationModel;

namespace Fer.AppHost.Registry;

/// <summary>The model registry as a resource of its own: its state is the production version and its metrics.</summary>
public sealed class ModelRegistryResource(string name) : Resource(name);
