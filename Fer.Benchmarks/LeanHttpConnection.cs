using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Fer.Benchmarks;

/// <summary>
/// One keep-alive HTTP/1.1 connection of the load generator: sends pre-encoded requests (one write each) and takes whole
/// responses (Content-Length or chunked) out of what it has received. It never waits itself: <see cref="PollingLoad"/>
/// drives every connection from one thread and receives only when a socket has data. Why not HttpClient: on this 2-core
/// machine the client shares the cores with the service, and HttpClient's send path took 18 % of all CPU samples of a
/// /predict profile at concurrency 32, which the ratio then counted against the service.
/// </summary>
public sealed class LeanHttpConnection : IDisposable
{
    private byte[] buffer = new byte[16 * 1024];
    private int start;
    private int end;

    private LeanHttpConnection(Socket socket) => Socket = socket;

    /// <summary>A blocking socket, connected synchronously, so the runtime's socket engine never handles it.</summary>
    public Socket Socket { get; }

    public static LeanHttpConnection Connect(IPEndPoint server)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(server);
        return new LeanHttpConnection(socket);
    }

    /// <summary>A complete POST request: headers and body in one buffer, so that sending it is one write.</summary>
    public static byte[] EncodePost(IPEndPoint server, string path, string contentType, byte[] body)
    {
        var head = Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: {server}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n\r\n");
        return [.. head, .. body];
    }

    public void Send(byte[] request) => Socket.Send(request);

    /// <summary>Reads what the socket holds (call it when the socket is readable, so it does not block).</summary>
    public void Receive()
    {
        if (start > 0)
        {
            buffer.AsSpan(start, end - start).CopyTo(buffer);
            end -= start;
            start = 0;
        }
        if (end == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2); // a response longer than the buffer
        var read = Socket.Receive(buffer.AsSpan(end));
        if (read == 0) throw new IOException("the server closed the connection");
        end += read;
    }

    /// <summary>Takes the next whole response out of the received bytes; false while it has not all arrived.</summary>
    public bool TryTakeResponse(out int status, out byte[] body)
    {
        status = 0;
        body = [];
        var received = buffer.AsSpan(start, end - start);
        var headEnd = received.IndexOf("\r\n\r\n"u8);
        if (headEnd < 0) return false;
        var head = Encoding.ASCII.GetString(received[..headEnd]).Split("\r\n");
        if (head[0].Length < 12 || !int.TryParse(head[0].AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out status))
            throw new InvalidDataException($"not an HTTP status line: {head[0]}");
        var contentLength = 0;
        var chunked = false;
        foreach (var header in head.Skip(1))
        {
            var colon = header.IndexOf(':');
            if (colon < 0) continue;
            var name = header[..colon];
            var value = header[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) contentLength = int.Parse(value, CultureInfo.InvariantCulture);
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        }

        var position = headEnd + 4;
        if (!chunked)
        {
            if (received.Length - position < contentLength) return false;
            body = received.Slice(position, contentLength).ToArray();
            start += position + contentLength;
            return true;
        }

        using var chunks = new MemoryStream();
        while (true)
        {
            var sizeEnd = received[position..].IndexOf("\r\n"u8);
            if (sizeEnd < 0) return false;
            var sizeText = Encoding.ASCII.GetString(received.Slice(position, sizeEnd)).Split(';')[0].Trim();
            var size = Convert.ToInt32(sizeText, 16);
            position += sizeEnd + 2;
            if (size == 0)
            {
                // trailers, if any, then the blank line that ends the message
                while (true)
                {
                    var lineEnd = received[position..].IndexOf("\r\n"u8);
                    if (lineEnd < 0) return false;
                    position += lineEnd + 2;
                    if (lineEnd == 0) break;
                }
                body = chunks.ToArray();
                start += position;
                return true;
            }
            if (received.Length - position < size + 2) return false;
            chunks.Write(received.Slice(position, size));
            position += size + 2; // the chunk, then its CRLF
        }
    }

    public void Dispose() => Socket.Dispose();
}
