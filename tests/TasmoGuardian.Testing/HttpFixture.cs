using System.Text;

namespace TasmoGuardian.Testing;

/// <summary>
/// One HTTP answer as a fixture keeps it: the status line exactly as the firmware writes it ("401 UNAUTHORIZED",
/// "303 See Other"), its headers in their order, and the body. A fake may swap the body or a header for its own
/// values; Content-Length follows the body.
/// </summary>
public sealed record HttpFixture(string StatusLine, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body)
{
    public int Status => int.Parse(StatusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public static HttpFixture Parse(byte[] raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            throw new FormatException("an HTTP fixture needs a head ending in an empty line (CRLF CRLF)");
        }

        var lines = Encoding.ASCII.GetString(raw, 0, end).Split("\r\n");
        var headers = lines.Skip(1)
            .Select(l => (l[..l.IndexOf(':', StringComparison.Ordinal)], l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()))
            .ToList();
        return new HttpFixture(lines[0], headers, raw[(end + 4)..]);
    }

    public HttpFixture WithBody(string body) => WithBody(Encoding.UTF8.GetBytes(body));

    public HttpFixture WithBody(byte[] body) => this with
    {
        Body = body,
        Headers = [.. Headers.Select(h => h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) ? (h.Name, body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)) : h)],
    };

    /// <summary>The answer with <paramref name="name"/> set to <paramref name="value"/> (in its place, or added last).</summary>
    public HttpFixture WithHeader(string name, string value) => this with
    {
        Headers = Headers.Any(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            ? [.. Headers.Select(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase) ? (h.Name, value) : h)]
            : [.. Headers, (name, value)],
    };

    /// <summary>
    /// Writes the answer to the socket byte for byte, but for <c>Connection: close</c>: the fake server answers one
    /// request per connection (<see cref="FakeHttpServer"/>) and says so, as <see cref="FakeHttpExchange"/> does. An
    /// answer that does not say it gets its connection pooled by .NET's client even when the request said
    /// <c>Connection: close</c>, and the next request races the close and fails unsent.
    /// </summary>
    public async Task WriteAsync(FakeHttpExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var head = new StringBuilder().Append(StatusLine).Append("\r\n");
        foreach (var (name, value) in WithHeader("Connection", "close").Headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("\r\n");
        await exchange.Stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), exchange.CancellationToken);
        await exchange.Stream.WriteAsync(Body, exchange.CancellationToken);
        await exchange.Stream.FlushAsync(exchange.CancellationToken);
    }

    /// <summary>
    /// An answer with this head and <paramref name="body"/> sent in chunks (<c>Transfer-Encoding: chunked</c>, no
    /// Content-Length), as ESP-IDF's <c>httpd_resp_send_chunk</c> sends files; <c>Connection: close</c> as in
    /// <see cref="WriteAsync"/>.
    /// </summary>
    public static async Task WriteChunkedAsync(FakeHttpExchange exchange, string contentType, byte[] body, int chunkSize, params (string Name, string Value)[] headers)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(body);
        var head = new StringBuilder("HTTP/1.1 200 OK\r\n")
            .Append("Content-Type: ").Append(contentType).Append("\r\n")
            .Append("Transfer-Encoding: chunked\r\n")
            .Append("Connection: close\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("\r\n");
        var stream = exchange.Stream;
        var token = exchange.CancellationToken;
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), token);
        for (var offset = 0; offset < body.Length; offset += chunkSize)
        {
            var length = Math.Min(chunkSize, body.Length - offset);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(length.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\r\n"), token);
            await stream.WriteAsync(body.AsMemory(offset, length), token);
            await stream.WriteAsync("\r\n"u8.ToArray(), token);
        }

        await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), token);
        await stream.FlushAsync(token);
    }
}
