namespace Fer.Tests.Trainer.Apis;

/// <summary>The trainer's HTTP tests share one Redis and one tiny data set, and run one after another: each real
/// training job wants the machine's cores to itself.</summary>
[CollectionDefinition(Name)]
public sealed class TrainerCollection : ICollectionFixture<TrainerFixture>
{
    public const string Name = "Trainer service";
}
