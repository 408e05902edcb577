namespace Fer.Tests.Infrastructure;

/// <summary>Reads a value every half second until it satisfies a condition; fails the test with the last value at the deadline.</summary>
public static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {what}; last: {value}");
            await Task.Delay(500);
        }
    }
}
