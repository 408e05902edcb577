using Fer.AppHost.Supervision;

namespace Fer.Tests.AppHost;

public sealed class ConsoleLogTests
{
    [Fact]
    public void KeepsTheLastLines_AndReadsAfterASequenceNumber()
    {
        var log = new ConsoleLog(3, TimeProvider.System);
        for (var i = 1; i <= 5; i++) log.Append(ConsoleLog.StdOut, $"line {i}");

        Assert.Equal(["line 3", "line 4", "line 5"], log.Read().Select(l => l.Text));
        Assert.Equal(["line 5"], log.Read(after: 4).Select(l => l.Text));
        Assert.Equal(["line 4", "line 5"], log.Read(max: 2).Select(l => l.Text));
        Assert.Empty(log.Read(after: 5));
    }
}
