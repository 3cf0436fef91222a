using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace TasmoGuardian.Backups;

/// <summary>
/// GET requests to devices: a time limit on the whole request (headers and body), a size cap, and every transport
/// failure turned into a named <see cref="BackupException"/>: refused, unreachable, timeout, empty reply, truncated.
/// </summary>
internal sealed class DeviceHttp
{
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    public DeviceHttp(HttpClient http, TimeProvider time)
    {
        _http = http;
        _time = time;
    }

    /// <summary>The client devices are reached with: no cookies, no redirects, no proxy, short-lived idle connections.</summary>
    public static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(15),

        // ESP web servers handle one client at a time and drop idle sockets; do not keep ours around.
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2),
        MaxConnectionsPerServer = 2,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<HttpAnswer> GetAsync(Uri uri, string? username, string? password, TimeSpan timeout, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);

        // Tasmota refuses requests whose Referer is not its own address (research §3.2), silently on 15.5 and later.
        request.Headers.Referrer = new Uri($"{uri.Scheme}://{uri.Authority}/");
        request.Headers.ConnectionClose = true;
        if (!string.IsNullOrEmpty(password))
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }

        var received = 0;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            if (response.Content.Headers.ContentLength is > 0 and var length && length > maxBytes)
            {
                throw BackupException.Of(BackupFailureKind.TooLarge, $"the device announced {length} bytes, more than the {maxBytes} a backup may have");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(linked.Token);
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            while (true)
            {
                var read = await stream.ReadAsync(chunk, linked.Token);
                if (read == 0)
                {
                    break;
                }

                received += read;
                if (received > maxBytes)
                {
                    throw BackupException.Of(BackupFailureKind.TooLarge, $"the device sent more than the {maxBytes} bytes a backup may have");
                }

                buffer.Write(chunk, 0, read);
            }

            if (response.Content.Headers.ContentLength is { } expected && expected != received)
            {
                throw BackupException.Of(BackupFailureKind.Truncated, $"the answer was cut short: {received} of {expected} bytes arrived");
            }

            return new HttpAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, buffer.ToArray());
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var what = received > 0 ? $" ({received} bytes had arrived)" : string.Empty;
            throw new BackupException(new BackupFailure(BackupFailureKind.Timeout, $"no complete answer within {timeout.TotalSeconds:0.#} s{what}"), ex);
        }
        catch (HttpRequestException ex)
        {
            throw new BackupException(Describe(ex, uri, received), ex);
        }
        catch (IOException ex)
        {
            throw new BackupException(new BackupFailure(BackupFailureKind.Truncated, $"the connection dropped after {received} bytes"), ex);
        }
    }

    private static BackupFailure Describe(HttpRequestException ex, Uri uri, int received)
    {
        var socket = FindSocketError(ex);
        return ex.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => new(BackupFailureKind.Unreachable, $"the host name {uri.Host} is not known on the network"),
            HttpRequestError.ConnectionError when socket == SocketError.ConnectionRefused =>
                new(BackupFailureKind.Refused, $"{uri.Authority} refused the connection; is its web server on?"),
            HttpRequestError.ConnectionError => new(BackupFailureKind.Unreachable, $"{uri.Authority} is unreachable ({socket?.ToString() ?? ex.Message})"),
            HttpRequestError.ResponseEnded when received > 0 => new(BackupFailureKind.Truncated, $"the connection dropped after {received} bytes"),
            HttpRequestError.ResponseEnded => new(BackupFailureKind.EmptyReply, "the device closed the connection without answering"),
            HttpRequestError.InvalidResponse => new(BackupFailureKind.HttpError, "the device's answer is not valid HTTP"),
            _ => new(BackupFailureKind.Unreachable, ex.Message),
        };
    }

    private static SocketError? FindSocketError(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is SocketException socket)
            {
                return socket.SocketErrorCode;
            }
        }

        return null;
    }
}
