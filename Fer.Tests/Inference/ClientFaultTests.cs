using System.Net.Sockets;
using System.Text;
using Fer.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Fer.Tests.Inference;

/// <summary>Uploads that fail on the client's side, straight to a replica over a raw socket: a client fault (4xx), never
/// "500 Inference failed", never an error in the log.</summary>
public sealed class ClientFaultTests : IAsyncLifetime
{
    private readonly RecordedLogs logs = new();
    private InferenceHost host = null!;

    public async Task InitializeAsync()
    {
        // ASP.NET Core's "Request finished" entry tells when and how the request ended; it is off by default.
        host = await InferenceHost.StartWithFileAsync(InferenceTestModels.WriteToTempFile(seed: 5),
            new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information" }, logs);
        await host.WaitForVersionAsync("seed-5");
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task SlowUpload_Gets408_AndNoErrorIsLogged()
    {
        using var client = await ConnectAsync();
        var stream = client.GetStream();
        await stream.WriteAsync(Headers(contentLength: 100_000));

        // A few bytes a second: far below Kestrel's minimum body rate (240 B/s after a 5 s grace period).
        var answer = Task.Run(() => ReadStatusLineAsync(stream));
        for (var i = 0; i < 30 && !answer.IsCompleted; i++)
        {
            try
            {
                await stream.WriteAsync("xx"u8.ToArray());
            }
            catch (IOException)
            {
                break; // the server closed the connection
            }
            await Task.WhenAny(answer, Task.Delay(1000));
        }

        Assert.StartsWith("HTTP/1.1 408", await answer.WaitAsync(TimeSpan.FromSeconds(10)), StringComparison.Ordinal);
        await AssertFinishedWithoutErrorsAsync(408);
    }

    [Fact]
    public async Task AbortedUpload_IsAClientFault_AndNoErrorIsLogged()
    {
        using (var client = await ConnectAsync())
        {
            var stream = client.GetStream();
            await stream.WriteAsync(Headers(contentLength: 100_000));
            await stream.WriteAsync(new byte[1000]);
            await stream.FlushAsync();
            client.Client.LingerState = new LingerOption(true, 0); // close with a reset: the connection is gone
        }

        var status = await FinishedStatusAsync();
        Assert.InRange(status, 400, 499);
        AssertNoErrors();
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(host.Client.BaseAddress!.Host, host.Client.BaseAddress.Port);
        return client;
    }

    private static byte[] Headers(int contentLength) => Encoding.ASCII.GetBytes(
        $"POST /predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\nContent-Length: {contentLength}\r\n\r\n");

    private static async Task<string> ReadStatusLineAsync(NetworkStream stream)
    {
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer);
        var text = Encoding.ASCII.GetString(buffer, 0, read);
        return text.Split("\r\n")[0];
    }

    /// <summary>The status ASP.NET's own "Request finished" log gives the /predict request.</summary>
    private async Task<int> FinishedStatusAsync()
    {
        var message = await Poll.UntilAsync(
            () => Task.FromResult(logs.Entries.FirstOrDefault(e => e.Message.StartsWith("Request finished", StringComparison.Ordinal)
                && e.Message.Contains("/predict", StringComparison.Ordinal))?.Message),
            finished => finished is not null, TimeSpan.FromSeconds(20), "the /predict request to finish") ?? "";
        var status = message[(message.IndexOf(" - ", StringComparison.Ordinal) + 3)..].Split(' ')[0];
        return int.Parse(status, System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task AssertFinishedWithoutErrorsAsync(int expectedStatus)
    {
        Assert.Equal(expectedStatus, await FinishedStatusAsync());
        AssertNoErrors();
    }

    private void AssertNoErrors()
    {
        var errors = logs.Entries.Where(e => e.Level >= LogLevel.Error || (e.Level >= LogLevel.Warning && e.Exception is not null)).ToList();
        Assert.True(errors.Count == 0, "logged as server errors: " + string.Join("\n", errors.Select(e => $"{e.Level} {e.Category}: {e.Message}")));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("Inference failed", StringComparison.Ordinal));
    }
}
