using Fer.Tests.Infrastructure;

namespace Fer.Tests.Registry;

/// <summary>The registry contract on embedded Garnet.</summary>
public sealed class ModelRegistryOnGarnetTests(GarnetFixture garnet) : ModelRegistryTests<GarnetFixture>(garnet);
