using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using TasmoGuardian.Devices;

namespace TasmoGuardian.Net;

/// <summary>
/// Requests to devices, for every kind: a time limit on the whole request (headers and body), a size cap, Basic auth
/// when a password is known, and every transport failure turned into a named <see cref="DeviceException"/>: refused,
/// unreachable, timeout, empty reply, truncated, too large.
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

    /// <summary>
    /// Throws the failure a user understands for anything but 200: 401 is a password problem (said differently when no
    /// password was sent), anything else names the status and <paramref name="what"/> was asked for.
    /// </summary>
    public static HttpAnswer RequireOk(HttpAnswer answer, string what, bool passwordSent)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return answer.StatusCode switch
        {
            200 => answer,
            401 => throw DeviceException.Of(FailureKind.WrongPassword, passwordSent
                ? "wrong password (HTTP 401)"
                : "the device asks for a password (HTTP 401); set tasmota_password or the device's password"),
            _ => throw DeviceException.Of(FailureKind.HttpError, $"the device answered HTTP {answer.StatusCode} for {what}"),
        };
    }

    /// <summary>GET with Basic auth when <paramref name="access"/> has a password (Digest when it asks for that).</summary>
    public Task<HttpAnswer> GetAsync(Uri uri, DeviceAccess? access, TimeSpan timeout, int maxBytes, CancellationToken cancellationToken) =>
        SendAuthenticatedAsync(HttpMethod.Get, uri, access, null, timeout, maxBytes, cancellationToken);

    /// <summary>
    /// POST of <paramref name="content"/> (made afresh for the request, so it is never sent half-consumed), with Basic
    /// auth when <paramref name="access"/> has a password.
    /// </summary>
    public Task<HttpAnswer> PostAsync(Uri uri, Func<HttpContent> content, DeviceAccess? access, TimeSpan timeout, int maxBytes, CancellationToken cancellationToken) =>
        SendAuthenticatedAsync(HttpMethod.Post, uri, access, content, timeout, maxBytes, cancellationToken);

    private static HttpRequestMessage Request(HttpMethod method, Uri uri, DeviceAccess? access, HttpContent? content, string? digest = null)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content };
        if (digest is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", digest);
        }


        // Tasmota refuses requests whose Referer is not its own address (research §3.2), silently on 15.5 and later;
        // other firmware ignores the header.
        request.Headers.Referrer = new Uri($"{uri.Scheme}://{uri.Authority}/");
        request.Headers.ConnectionClose = true;
        if (access is { HasPassword: true, UsesDigest: false })
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{access.Username}:{access.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }

        return request;
    }

    private static DeviceFailure Describe(HttpRequestException ex, Uri uri, int received)
    {
        var socket = FindSocketError(ex);
        return ex.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => new(FailureKind.Unreachable, $"the host name {uri.Host} is not known on the network"),
            HttpRequestError.ConnectionError when socket == SocketError.ConnectionRefused =>
                new(FailureKind.Refused, $"{uri.Authority} refused the connection; is its web server on?"),
            HttpRequestError.ConnectionError => new(FailureKind.Unreachable, $"{uri.Authority} is unreachable ({socket?.ToString() ?? ex.Message})"),
            HttpRequestError.ResponseEnded when received > 0 => new(FailureKind.Truncated, $"the connection dropped after {received} bytes"),
            HttpRequestError.ResponseEnded => new(FailureKind.EmptyReply, "the device closed the connection without answering"),
            HttpRequestError.InvalidResponse => new(FailureKind.HttpError, "the device's answer is not valid HTTP"),
            _ => new(FailureKind.Unreachable, ex.Message),
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

    /// <summary>Basic goes with the request; Digest answers the device's challenge, so a 401 with one is asked again once.</summary>
    private async Task<HttpAnswer> SendAuthenticatedAsync(HttpMethod method, Uri uri, DeviceAccess? access, Func<HttpContent>? content, TimeSpan timeout, int maxBytes, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(() => Request(method, uri, access, content?.Invoke()), uri, timeout, maxBytes, cancellationToken);
        if (answer.StatusCode != 401 || access is not { HasPassword: true, UsesDigest: true } || DigestAuth.ParseChallenge(answer.Challenge) is not { } challenge)
        {
            return answer;
        }

        var header = DigestAuth.Answer(challenge, method.Method, uri.PathAndQuery, access.Username, access.Password!, DigestAuth.NewClientNonce());
        return await SendAsync(() => Request(method, uri, access, content?.Invoke(), header), uri, timeout, maxBytes, cancellationToken);
    }

    private async Task<HttpAnswer> SendAsync(Func<HttpRequestMessage> create, Uri uri, TimeSpan timeout, int maxBytes, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var request = create();
        var received = 0;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            if (response.Content.Headers.ContentLength is > 0 and var length && length > maxBytes)
            {
                throw DeviceException.Of(FailureKind.TooLarge, $"the device announced {length} bytes, more than the {maxBytes} allowed");
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
                    throw DeviceException.Of(FailureKind.TooLarge, $"the device sent more than the {maxBytes} bytes allowed");
                }

                buffer.Write(chunk, 0, read);
            }

            if (response.Content.Headers.ContentLength is { } expected && expected != received)
            {
                throw DeviceException.Of(FailureKind.Truncated, $"the answer was cut short: {received} of {expected} bytes arrived");
            }

            return new HttpAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, buffer.ToArray())
            {
                Challenge = response.Headers.WwwAuthenticate.FirstOrDefault(h => h.Scheme.Equals("Digest", StringComparison.OrdinalIgnoreCase))?.ToString()
                    ?? response.Headers.WwwAuthenticate.FirstOrDefault()?.ToString(),
                FileName = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'),
            };
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var what = received > 0 ? $" ({received} bytes had arrived)" : string.Empty;
            throw new DeviceException(new DeviceFailure(FailureKind.Timeout, $"no complete answer within {timeout.TotalSeconds:0.#} s{what}"), ex);
        }
        catch (HttpRequestException ex)
        {
            throw new DeviceException(Describe(ex, uri, received), ex);
        }
        catch (IOException ex)
        {
            throw new DeviceException(new DeviceFailure(FailureKind.Truncated, $"the connection dropped after {received} bytes"), ex);
        }
    }
}
