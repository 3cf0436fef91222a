using System.Text;

namespace TasmoGuardian.Testing;

/// <summary>What a fake device received: request line, headers and body.</summary>
public sealed record FakeHttpRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers)
{
    public byte[] Body { get; init; } = [];

    /// <summary>The parts of a multipart/form-data body: field name, file name (null for plain fields) and content.</summary>
    public IReadOnlyList<(string Name, string? FileName, byte[] Content)> FormParts()
    {
        var type = Header("Content-Type") ?? string.Empty;
        var marker = type.IndexOf("boundary=", StringComparison.OrdinalIgnoreCase);
        if (marker < 0)
        {
            return [];
        }

        var boundary = Encoding.ASCII.GetBytes("--" + type[(marker + 9)..].Trim().Trim('"'));
        var parts = new List<(string, string?, byte[])>();
        var body = Body.AsSpan();
        var start = body.IndexOf(boundary);
        while (start >= 0)
        {
            var rest = body[(start + boundary.Length)..];
            if (rest.StartsWith("--"u8))
            {
                break;
            }

            var next = rest.IndexOf(boundary);
            if (next < 0)
            {
                break;
            }

            var part = rest[..next];
            var headerEnd = part.IndexOf("\r\n\r\n"u8);
            if (headerEnd >= 0)
            {
                var head = Encoding.UTF8.GetString(part[..headerEnd]);
                var content = part[(headerEnd + 4)..];
                if (content.EndsWith("\r\n"u8))
                {
                    content = content[..^2];
                }

                parts.Add((Attribute(head, "name") ?? string.Empty, Attribute(head, "filename"), content.ToArray()));
            }

            body = rest;
            start = next;
        }

        return parts;
    }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string? QueryValue(string name)
    {
        foreach (var part in Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? part : part[..eq]);
            if (key == name)
            {
                return eq < 0 ? string.Empty : Uri.UnescapeDataString(part[(eq + 1)..]);
            }
        }

        return null;
    }

    private static string? Attribute(string head, string name)
    {
        foreach (var piece in head.Split(';', '\r', '\n'))
        {
            var p = piece.Trim();
            if (p.StartsWith(name + "=", StringComparison.OrdinalIgnoreCase))
            {
                return p[(name.Length + 1)..].Trim('"');
            }
        }

        return null;
    }
}
