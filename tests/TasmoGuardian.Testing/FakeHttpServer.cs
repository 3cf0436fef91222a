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
    private readonly TcpListener _listener;
    private readonly Func<FakeHttpExchange, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<FakeHttpRequest> _requests = [];
    private readonly Task _accepting;

    public FakeHttpServer(IPAddress address, int port, Func<FakeHttpExchange, Task> handler)
    {
        _handler = handler;
        _listener = new TcpListener(address, port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start(512);
        _accepting = AcceptLoopAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

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

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                client.NoDelay = true;
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream, _stop.Token);
                if (request is null)
                {
                    return;
                }

                lock (_requests)
                {
                    _requests.Add(request);
                }

                await _handler(new FakeHttpExchange(request, stream, _stop.Token));
                client.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task<FakeHttpRequest?> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
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
            var text = Encoding.ASCII.GetString(buffer, 0, length);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var lines = text[..end].Split("\r\n");
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

                return new FakeHttpRequest(parts[0], q < 0 ? target : target[..q], q < 0 ? string.Empty : target[q..], headers);
            }

            if (length == buffer.Length)
            {
                return null;
            }
        }
    }
}
