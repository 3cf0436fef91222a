using System.Text;

namespace TasmoGuardian.Testing;

/// <summary>One request on a fake device's socket, and the means to answer it well or badly.</summary>
public sealed class FakeHttpExchange
{
    internal FakeHttpExchange(FakeHttpRequest request, Stream stream, CancellationToken cancellationToken)
    {
        Request = request;
        Stream = stream;
        CancellationToken = cancellationToken;
    }

    public FakeHttpRequest Request { get; }

    /// <summary>The raw socket stream, for answers no proper server would send.</summary>
    public Stream Stream { get; }

    public CancellationToken CancellationToken { get; }

    public Task RespondAsync(int status, string contentType, string body, params (string Name, string Value)[] headers) =>
        RespondAsync(status, contentType, Encoding.UTF8.GetBytes(body), headers);

    public async Task RespondAsync(int status, string? contentType, byte[] body, params (string Name, string Value)[] headers)
    {
        await WriteHeadAsync(status, contentType, body.Length, headers);
        await Stream.WriteAsync(body, CancellationToken);
        await Stream.FlushAsync(CancellationToken);
    }

    public async Task WriteHeadAsync(int status, string? contentType, long contentLength, params (string Name, string Value)[] headers)
    {
        var head = new StringBuilder()
            .Append("HTTP/1.1 ").Append(status).Append(' ').Append(Reason(status)).Append("\r\n")
            .Append("Content-Length: ").Append(contentLength).Append("\r\n")
            .Append("Connection: close\r\n");
        if (contentType is not null)
        {
            head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        }

        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("\r\n");
        await Stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), CancellationToken);
        await Stream.FlushAsync(CancellationToken);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        401 => "Unauthorized",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
