using System.Text.Json.Nodes;

namespace TasmoGuardian.Testing;

/// <summary>
/// The file browser Awtrix 3 and openHASP share (esp-fs-webserver, hasp_http.cpp): <c>GET /list?dir=…</c> answers one
/// folder's entries in the order the file system keeps them, files are served at their path, and <c>POST /edit</c>
/// writes the multipart file to the path its file name gives (a leading "/" added when missing). What each firmware
/// answers (the entries' keys, errors, a written file) is its own.
/// </summary>
public abstract class FakeFileBrowser : FakeFirmware
{
    // Paths in the order they were first written, as LittleFS lists them.
    private readonly List<string> _order = [];
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly List<string> _written = [];

    protected FakeFileBrowser(string mac)
        : base(mac)
    {
    }

    protected Lock Gate { get; } = new();

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

    /// <summary>A path whose upload the file system refuses (it cannot open the file for writing).</summary>
    public string? RefusesToWrite { get; set; }

    public byte[]? File(string path)
    {
        lock (Gate)
        {
            return _files.TryGetValue(path.TrimStart('/'), out var content) ? content : null;
        }
    }

    public void SetFile(string path, byte[]? content)
    {
        var key = path.TrimStart('/');
        lock (Gate)
        {
            if (content is null)
            {
                _files.Remove(key);
                _order.Remove(key);
            }
            else
            {
                if (_files.TryAdd(key, content))
                {
                    _order.Add(key);
                }

                _files[key] = content;
            }
        }
    }

    /// <summary>What is served for a file; openHASP masks config.json's passwords here.</summary>
    protected virtual byte[] Serve(string path, byte[] stored) => stored;

    /// <summary>One entry of a listing, with the keys and in the key order the firmware writes.</summary>
    protected abstract JsonObject ListEntry(string name, bool isDirectory, long size);

    /// <summary>The answer to <c>/list</c> without <c>dir</c>.</summary>
    protected abstract Task NoFolderGivenAsync(FakeHttpExchange exchange);

    /// <summary>The answer to <c>/list?dir=</c> of a folder that does not exist.</summary>
    protected abstract Task NoSuchFolderAsync(FakeHttpExchange exchange);

    protected abstract Task FileNotFoundAsync(FakeHttpExchange exchange);

    /// <summary>The answer to a written file.</summary>
    protected abstract Task WrittenAsync(FakeHttpExchange exchange);

    /// <summary>The answer when a file cannot be opened for writing.</summary>
    protected abstract Task NotWrittenAsync(FakeHttpExchange exchange);

    protected Task ListAsync(FakeHttpExchange exchange)
    {
        if (exchange.Request.QueryValue("dir") is not { } dir)
        {
            return NoFolderGivenAsync(exchange);
        }

        var folder = dir.Trim('/');
        var prefix = folder.Length == 0 ? "" : folder + "/";
        var entries = new JsonArray();
        lock (Gate)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var path in _order.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)))
            {
                var rest = path[prefix.Length..];
                var slash = rest.IndexOf('/', StringComparison.Ordinal);
                var name = slash < 0 ? rest : rest[..slash];
                if (seen.Add(name))
                {
                    entries.Add(ListEntry(name, slash >= 0, slash >= 0 ? 0 : _files[path].Length));
                }
            }
        }

        return entries.Count == 0 && folder.Length > 0
            ? NoSuchFolderAsync(exchange)
            : exchange.RespondAsync(200, "text/json", FirmwareFixtures.Write(entries));
    }

    protected Task FileAsync(FakeHttpExchange exchange)
    {
        var path = exchange.Request.Path.TrimStart('/');
        byte[]? content;
        lock (Gate)
        {
            content = _files.TryGetValue(path, out var stored) ? Serve(path, stored) : null;
        }

        if (content is null)
        {
            return FileNotFoundAsync(exchange);
        }

        var type = exchange.Request.QueryValue("download") is not null ? "application/octet-stream" : ContentType(path);
        return exchange.RespondAsync(200, type, content);
    }

    protected Task EditAsync(FakeHttpExchange exchange)
    {
        // Without a file part the upload callback never runs and the request handler answers as for a written file.
        var part = exchange.Request.FormParts().FirstOrDefault(p => p.FileName is not null);
        if (part.FileName is null)
        {
            return WrittenAsync(exchange);
        }

        var path = part.FileName.TrimStart('/');
        if (path == RefusesToWrite)
        {
            return NotWrittenAsync(exchange);
        }

        SetFile(path, part.Content);
        lock (Gate)
        {
            _written.Add(path);
        }

        return WrittenAsync(exchange);
    }

    private static string ContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => "application/json",
        ".gif" => "image/gif",
        ".png" => "image/png",
        ".jpg" => "image/jpeg",
        ".htm" or ".html" => "text/html",
        ".txt" or ".cmd" or ".jsonl" => "text/plain",
        _ => "application/octet-stream",
    };
}
