using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TasmoGuardian.Testing;

/// <summary>
/// A minimal HTTP/1.1 server on a real loopback socket, one request per connection like an ESP's web server. The
/// handler answers through <see cref="FakeHttpExchange"/>, which also allows answers a real server would not give.
/// </summary>
public sealed class FakeHttpServer : IAsyncDisposable
{
    private readonly Func<FakeHttpExchange, Task> _handler;
    private readonly List<FakeHttpRequest> _requests = [];
    private readonly LoopbackTcpServer _server;

    public FakeHttpServer(IPAddress address, int port, Func<FakeHttpExchange, Task> handler)
    {
        _handler = handler;
        _server = new LoopbackTcpServer(address, port, ServeAsync);
    }

    public IPEndPoint EndPoint => _server.EndPoint;

    /// <summary>"127.0.0.23" on port 80, "127.0.0.1:40123" otherwise: the form the program's host option takes.</summary>
    public string HostAndPort => EndPoint.Port == 80 ? EndPoint.Address.ToString() : $"{EndPoint.Address}:{EndPoint.Port}";

    public IReadOnlyList<FakeHttpRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        var stream = client.GetStream();
        var request = await ReadRequestAsync(stream, cancellationToken);
        if (request is null)
        {
            return;
        }

        lock (_requests)
        {
            _requests.Add(request);
        }

        await _handler(new FakeHttpExchange(request, stream, cancellationToken));
        client.Client.Shutdown(SocketShutdown.Send);
    }

    private static async Task<FakeHttpRequest?> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        const int MaxBody = 4 * 1024 * 1024;
        var buffer = new byte[8192];
        var length = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return null;
            }

            length += read;
            var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var lines = Encoding.ASCII.GetString(buffer, 0, end).Split("\r\n");
                var parts = lines[0].Split(' ');
                var target = parts.Length > 1 ? parts[1] : "/";
                var q = target.IndexOf('?', StringComparison.Ordinal);
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var line in lines.Skip(1))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0)
                    {
                        headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                    }
                }

                // The body, as far as Content-Length says (uploads); a firmware web server reads no more.
                var body = Array.Empty<byte>();
                if (headers.TryGetValue("Content-Length", out var declared) && int.TryParse(declared, out var size) && size is > 0 and <= MaxBody)
                {
                    body = new byte[size];
                    var have = Math.Min(size, length - (end + 4));
                    buffer.AsSpan(end + 4, have).CopyTo(body);
                    while (have < size)
                    {
                        var more = await stream.ReadAsync(body.AsMemory(have), cancellationToken);
                        if (more == 0)
                        {
                            return null;
                        }

                        have += more;
                    }
                }

                return new FakeHttpRequest(parts[0], q < 0 ? target : target[..q], q < 0 ? string.Empty : target[q..], headers) { Body = body };
            }

            if (length == buffer.Length)
            {
                return null;
            }
        }
    }
}
