using System.Net;
using System.Text;

namespace TasmoGuardian.Testing;

/// <summary>How a fake Tasmota's file system pages answer, healthy or as seen going wrong.</summary>
public enum UserFileBehavior
{
    Ok,

    /// <summary>A file is sent whole but shorter than the listing says (the firmware stops writing when the client stalls).</summary>
    Truncated,

    /// <summary>A file's download answers with the file manager page, 200 text/html, no attachment.</summary>
    PageInsteadOfFile,
}

/// <summary>
/// A Tasmota file system as <c>xdrv_50_filesystem.ino</c> (@8663a1b6) serves it: the <c>/ufsd</c> page with one
/// <c>&lt;pre&gt;</c> line per entry (names starting with '.' are listed as hideable), folders one page each,
/// <c>/ufsd?download=/path</c> as an attachment, and uploads into the folder whose page was opened last.
/// </summary>
public sealed class FakeTasmotaFileSystem
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _folders = new(StringComparer.Ordinal) { "/" };

    public UserFileBehavior Behavior { get; set; }

    /// <summary>Files the device holds now, by full path ("/autoexec.be").</summary>
    public IReadOnlyDictionary<string, byte[]> Files
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, byte[]>(_files, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Uploads of user files, by full path, in order.</summary>
    public List<string> Uploaded { get; } = [];

    public void Put(string path, string text) => Put(path, Encoding.UTF8.GetBytes(text));

    public void Put(string path, byte[] content)
    {
        lock (_gate)
        {
            _files[path] = content;
            for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
            {
                _folders.Add(path[..slash]);
            }
        }
    }

    public void AddFolder(string path)
    {
        lock (_gate)
        {
            _folders.Add(path);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _files.Clear();
            _folders.Clear();
            _folders.Add("/");
        }
    }

    /// <summary>GET /ufsd[?download=path]: a file as an attachment, a folder's page, or nothing for a path that is not there.</summary>
    /// <returns>The folder the next upload goes into, when a page was served.</returns>
    public async Task<string?> ServeAsync(FakeHttpExchange exchange)
    {
        var path = exchange.Request.QueryValue("download") is { } requested ? Uri.UnescapeDataString(requested) : "/";
        byte[]? file;
        bool folder;
        lock (_gate)
        {
            folder = _folders.Contains(path);
            _files.TryGetValue(path, out file);
        }

        if (file is not null)
        {
            if (Behavior == UserFileBehavior.PageInsteadOfFile)
            {
                await exchange.RespondAsync(200, "text/html", Page("/"));
                return "/";
            }

            var sent = Behavior == UserFileBehavior.Truncated && file.Length > 1 ? file[..(file.Length / 2)] : file;
            await exchange.RespondAsync(200, "application/octet-stream", sent, ("Content-Disposition", $"attachment; filename={path[(path.LastIndexOf('/') + 1)..]}"));
            return null;
        }

        if (!folder)
        {
            // UfsDownloadFile fails and UfsDirectory returns without sending anything.
            return null;
        }

        await exchange.RespondAsync(200, "text/html", Page(path));
        return path;
    }

    /// <summary>A file sent to /u2 after a /ufsd page: written into that folder, replacing what was there.</summary>
    public void Write(string folder, string fileName, byte[] content)
    {
        var path = folder == "/" ? "/" + fileName : $"{folder}/{fileName}";
        Put(path, content);
        lock (_gate)
        {
            Uploaded.Add(path);
        }
    }

    private string Page(string folder)
    {
        var page = new StringBuilder("<!DOCTYPE html><html lang=\"en\" class=\"\"><head><meta charset='utf-8'><title>Tasmota - Manage File system</title></head><body>");
        page.Append("<div id='f1' name='f1' style='display:block;'><fieldset><legend><b>&nbsp;Manage File system&nbsp;</b></legend>");
        page.Append("<div style='text-align:left;color:#eaeaea;'>Size 320.000 MB - Free 300.000 MB</div>");
        page.Append("<form method='post' action='ufsu' enctype='multipart/form-data'><br><input type='file' name='ufsu'><br><br><button type='submit'>Start upload</button></form><br>");
        page.Append("<div style='text-align:left;overflow:auto;height:250px;'>");
        if (folder != "/")
        {
            var up = folder[..folder.LastIndexOf('/')];
            page.Append($"<pre><a href='ufsd?download={(up.Length == 0 ? "/" : up)}' file='{folder}'>..</a></pre>");
        }

        lock (_gate)
        {
            var prefix = folder == "/" ? "/" : folder + "/";
            foreach (var sub in _folders.Where(f => f != "/" && f.StartsWith(prefix, StringComparison.Ordinal) && !f[prefix.Length..].Contains('/', StringComparison.Ordinal)))
            {
                Line(page, sub, null);
            }

            foreach (var (path, content) in _files.Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal) && !f.Key[prefix.Length..].Contains('/', StringComparison.Ordinal)))
            {
                Line(page, path, content);
            }
        }

        page.Append("</div><form method='get' action='ufse'><input type='hidden' name='file' value='/new.txt'><button type='submit'>Create and edit new file</button></form>");
        page.Append("<input type='checkbox' id='shf' onclick='sf(eb(\"shf\").checked);' name='shf'>Show hidden files</input></fieldset></div></body></html>");
        return page.ToString();
    }

    private static void Line(StringBuilder page, string path, byte[]? content)
    {
        var name = path[(path.LastIndexOf('/') + 1)..];
        var escaped = string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
        var hidden = name.StartsWith('.') ? " class='hf'" : string.Empty;
        var time = content is null ? new string(' ', 19) : "2025-10-11T13:05:13";
        var edit = content is null ? " " : $"<a href='ufse?file={escaped}'>&#x1F4DD;</a>";
        page.Append($"<pre{hidden}><a href='ufsd?download={escaped}' file='{Uri.EscapeDataString(name)}'>{WebUtility.HtmlEncode(name.PadRight(24))}</a> {time} {content?.Length ?? 0,8} <a href='ufsd?delete={escaped}&download=/' onclick=\"return confirm('Confirm delete file')\">&#128293;</a> {edit}</pre>");
    }
}
