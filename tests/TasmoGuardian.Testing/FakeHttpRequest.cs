namespace TasmoGuardian.Testing;

/// <summary>What a fake device received: request line and headers.</summary>
public sealed record FakeHttpRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers)
{
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
}
