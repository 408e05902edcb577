using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Fer.Benchmarks;

/// <summary>
/// The inference benchmark's load generator: <c>concurrency</c> keep-alive connections, each with one request in flight,
/// all driven from one thread of their own that sleeps in poll(2) until responses have arrived, as wrk does with epoll.
/// The client so takes neither the service's thread pool (the first version's async sockets did: their continuations
/// queued behind the service's work on the same two cores) nor a thread a connection (32 blocking threads cost more:
/// 82.6-84.5 % against 86.2 %).
/// </summary>
public static class PollingLoad
{
    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(30);

    public static Task<LoadWindow> RunAsync(IPEndPoint server, IReadOnlyList<byte[]> requests, int concurrency, TimeSpan duration)
    {
        var done = new TaskCompletionSource<LoadWindow>(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                done.SetResult(Run(server, requests, concurrency, duration));
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }) { Name = "fer-load", IsBackground = true }.Start();
        return done.Task;
    }

    private static LoadWindow Run(IPEndPoint server, IReadOnlyList<byte[]> requests, int concurrency, TimeSpan duration)
    {
        var connections = Enumerable.Range(0, concurrency).Select(_ => LeanHttpConnection.Connect(server)).ToList();
        try
        {
            var indexOf = connections.Select((connection, index) => (connection.Socket, index)).ToDictionary(pair => pair.Socket, pair => pair.index);
            var sentAt = new long[concurrency];
            var latencies = new List<double>();
            var timings = new List<(int Batch, double ModelMs, double ServerMs)>();
            var failures = 0;
            var next = 0;
            var clock = Stopwatch.StartNew();
            var inFlight = new List<Socket>(concurrency);
            for (var i = 0; i < concurrency; i++)
            {
                sentAt[i] = Stopwatch.GetTimestamp();
                connections[i].Send(requests[next++ % requests.Count]);
                inFlight.Add(connections[i].Socket);
            }

            var readable = new List<Socket>(concurrency);
            while (inFlight.Count > 0)
            {
                readable.Clear();
                readable.AddRange(inFlight);
                Socket.Select(readable, null, null, (int)ResponseTimeout.TotalMicroseconds);
                if (readable.Count == 0) throw new TimeoutException($"no response in {ResponseTimeout.TotalSeconds} s");
                foreach (var socket in readable)
                {
                    var index = indexOf[socket];
                    var connection = connections[index];
                    connection.Receive();
                    while (connection.TryTakeResponse(out var status, out var body))
                    {
                        var milliseconds = Stopwatch.GetElapsedTime(sentAt[index]).TotalMilliseconds;
                        if (status == 200)
                        {
                            latencies.Add(milliseconds);
                            timings.Add(ReadTimings(body));
                        }
                        else failures++;

                        if (clock.Elapsed < duration)
                        {
                            sentAt[index] = Stopwatch.GetTimestamp();
                            connection.Send(requests[next++ % requests.Count]);
                        }
                        else inFlight.Remove(socket);
                    }
                }
            }
            return new LoadWindow(clock.Elapsed, latencies, timings, failures);
        }
        finally
        {
            connections.ForEach(connection => connection.Dispose());
        }
    }

    private static (int Batch, double ModelMs, double ServerMs) ReadTimings(byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        var reported = json.RootElement.GetProperty("timings");
        return (reported.GetProperty("batchSize").GetInt32(), reported.GetProperty("inferenceMs").GetDouble(), reported.GetProperty("totalMs").GetDouble());
    }
}
