using Fer.Tests.Infrastructure;

namespace Fer.Tests.Trainer.Jobs;

public sealed class TrainJobStoreOnRedisTests(RedisServerFixture redis) : TrainJobStoreTests<RedisServerFixture>(redis);
