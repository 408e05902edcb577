using Fer.Tests.Infrastructure;

namespace Fer.Tests.Trainer.Jobs;

public sealed class TrainJobStoreOnGarnetTests(GarnetFixture garnet) : TrainJobStoreTests<GarnetFixture>(garnet);
