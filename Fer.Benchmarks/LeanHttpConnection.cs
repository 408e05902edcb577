using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Fer.Benchmarks;

/// <summary>
/// One keep-alive HTTP/1.1 connection that sends pre-encoded requests and reads each whole response (Content-Length or
/// chunked): the load generator of the inference benchmark. Why not HttpClient: on this 2-core machine the client shares
/// the cores with the service, and a profile of /predict at concurrency 32 charged HttpClient's send path with 18 % of all
/// CPU samples (inclusive), which the ratio then counted against the service. This client does what wrk does (one socket, no
/// handler pipeline, no per-request objects beyond the response body) and nothing more.
/// </summary>
public sealed class LeanHttpConnection(Socket socket) : IDisposable
{
    private readonly byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;

    public static async Task<LeanHttpConnection> ConnectAsync(IPEndPoint server)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server);
        return new LeanHttpConnection(socket);
    }

    /// <summary>A complete POST request: headers and body in one buffer, so that sending it is one write.</summary>
    public static byte[] EncodePost(IPEndPoint server, string path, string contentType, byte[] body)
    {
        var head = Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: {server}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n\r\n");
        return [.. head, .. body];
    }

    /// <summary>Sends <paramref name="request"/> and returns the response's status code and body.</summary>
    public async Task<(int Status, byte[] Body)> SendAsync(byte[] request)
    {
        await socket.SendAsync(request);
        var statusLine = await ReadLineAsync();
        if (statusLine.Length < 12 || !Utf8Parser.TryParse(statusLine.AsSpan(9, 3), out int status, out _))
            throw new InvalidDataException($"not an HTTP status line: {Encoding.ASCII.GetString(statusLine)}");
        var contentLength = -1;
        var chunked = false;
        while (await ReadLineAsync() is { Length: > 0 } header)
        {
            var text = Encoding.ASCII.GetString(header);
            var colon = text.IndexOf(':');
            if (colon < 0) continue;
            var name = text[..colon];
            var value = text[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) contentLength = int.Parse(value, CultureInfo.InvariantCulture);
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        }
        if (!chunked) return (status, await ReadExactlyAsync(Math.Max(contentLength, 0)));

        using var body = new MemoryStream();
        while (true)
        {
            var sizeLine = Encoding.ASCII.GetString(await ReadLineAsync());
            var size = Convert.ToInt32(sizeLine.Split(';')[0].Trim(), 16);
            if (size == 0)
            {
                while ((await ReadLineAsync()).Length > 0) { } // trailers, then the blank line that ends the message
                return (status, body.ToArray());
            }
            body.Write(await ReadExactlyAsync(size));
            await ReadLineAsync(); // the CRLF after each chunk
        }
    }

    private async Task<byte[]> ReadLineAsync()
    {
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf("\r\n"u8);
            if (newline >= 0)
            {
                var line = buffer.AsSpan(start, newline).ToArray();
                start += newline + 2;
                return line;
            }
            await FillAsync();
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (start == end) await FillAsync();
            var take = Math.Min(count - copied, end - start);
            buffer.AsSpan(start, take).CopyTo(result.AsSpan(copied));
            start += take;
            copied += take;
        }
        return result;
    }

    private async Task FillAsync()
    {
        if (start > 0)
        {
            buffer.AsSpan(start, end - start).CopyTo(buffer);
            end -= start;
            start = 0;
        }
        if (end == buffer.Length) throw new InvalidDataException("a response line is longer than the connection's buffer");
        var read = await socket.ReceiveAsync(buffer.AsMemory(end));
        if (read == 0) throw new IOException("the server closed the connection");
        end += read;
    }

    public void Dispose() => socket.Dispose();
}
