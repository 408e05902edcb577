using Fer.Cli;
using Fer.Training.Weights;

namespace Fer.Tests.Weights;

public sealed class InspectWeightsCommandTests
{
    [Fact]
    public async Task InspectWeights_ExitsZero_ForTheTorchvisionFixture()
    {
        Assert.Equal(0, await FerCommandLine.RunAsync([InspectWeightsCommand.Name, ReferenceFixture.WeightFile]));
    }

    [Fact]
    public async Task InspectWeights_ExitsNonZero_ForAMissingOrForeignFile()
    {
        var foreign = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(foreign, "not weights");
            Assert.Equal(1, await FerCommandLine.RunAsync([InspectWeightsCommand.Name, foreign + ".missing"]));
            Assert.Equal(1, await FerCommandLine.RunAsync([InspectWeightsCommand.Name, foreign]));
        }
        finally
        {
            File.Delete(foreign);
        }
    }
}
