using System.Text.Json.Nodes;

namespace TasmoGuardian.Testing;

/// <summary>
/// The file browser Awtrix 3 and openHASP share (esp-fs-webserver, hasp_http.cpp): <c>GET /list?dir=…</c> answers one
/// folder's entries, files are served at their path, and <c>POST /edit</c> writes the multipart file to the path its
/// file name gives (a leading "/" added when missing).
/// </summary>
public abstract class FakeFileBrowser : FakeFirmware
{
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly List<string> _written = [];

    protected FakeFileBrowser(string mac)
        : base(mac)
    {
    }

    protected Lock Gate { get; } = new();

    /// <summary>Sizes listed as strings ("123"), as Awtrix writes them.</summary>
    protected virtual bool SizesAsText => false;

    public IReadOnlyList<string> Written
    {
        get
        {
            lock (Gate)
            {
                return [.. _written];
            }
        }
    }

    public byte[]? File(string path)
    {
        lock (Gate)
        {
            return _files.TryGetValue(path.TrimStart('/'), out var content) ? content : null;
        }
    }

    public void SetFile(string path, byte[]? content)
    {
        lock (Gate)
        {
            if (content is null)
            {
                _files.Remove(path.TrimStart('/'));
            }
            else
            {
                _files[path.TrimStart('/')] = content;
            }
        }
    }

    /// <summary>What is served for a file; openHASP masks config.json's passwords here.</summary>
    protected virtual byte[] Serve(string path, byte[] stored) => stored;

    /// <summary>What is stored for an upload; openHASP keeps its passwords where the upload has the mask.</summary>
    protected virtual byte[] Store(string path, byte[] uploaded, byte[]? current) => uploaded;

    protected Task ListAsync(FakeHttpExchange exchange)
    {
        var folder = (exchange.Request.QueryValue("dir") ?? "/").Trim('/');
        var prefix = folder.Length == 0 ? "" : folder + "/";
        var entries = new JsonArray();
        lock (Gate)
        {
            var names = _files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..]).ToList();
            foreach (var directory in names.Where(n => n.Contains('/')).Select(n => n[..n.IndexOf('/')]).Distinct())
            {
                entries.Add(new JsonObject { ["type"] = "dir", ["size"] = SizesAsText ? "0" : 0, ["name"] = directory });
            }

            foreach (var name in names.Where(n => !n.Contains('/')))
            {
                var size = _files[prefix + name].Length;
                entries.Add(new JsonObject { ["type"] = "file", ["size"] = SizesAsText ? size.ToString(System.Globalization.CultureInfo.InvariantCulture) : size, ["name"] = name });
            }
        }

        return exchange.RespondAsync(200, "application/json", entries.ToJsonString());
    }

    protected Task FileAsync(FakeHttpExchange exchange)
    {
        var path = exchange.Request.Path.TrimStart('/');
        byte[]? content;
        lock (Gate)
        {
            content = _files.TryGetValue(path, out var stored) ? Serve(path, stored) : null;
        }

        return content is null ? exchange.RespondAsync(404, "text/plain", "FileNotFound") : exchange.RespondAsync(200, "application/octet-stream", content);
    }

    protected Task EditAsync(FakeHttpExchange exchange, string okAnswer)
    {
        var part = exchange.Request.FormParts().FirstOrDefault(p => p.FileName is not null);
        if (part.FileName is null)
        {
            return exchange.RespondAsync(500, "text/plain", "BAD ARGS");
        }

        var path = part.FileName.TrimStart('/');
        lock (Gate)
        {
            _files[path] = Store(path, part.Content, _files.TryGetValue(path, out var current) ? current : null);
            _written.Add(path);
        }

        return exchange.RespondAsync(200, "text/plain", okAnswer);
    }
}
