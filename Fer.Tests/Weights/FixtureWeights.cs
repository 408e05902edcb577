using Fer.Training.Torch;
using Fer.Training.Weights;

namespace Fer.Tests.Weights;

/// <summary>The reference fixture's state_dict, read once per test class that needs it.</summary>
public sealed class FixtureWeights
{
    public FixtureWeights()
    {
        TorchRuntime.Initialize();
        StateDict = StateDict.Read(ReferenceFixture.WeightFile);
    }

    public StateDict StateDict { get; }
}
