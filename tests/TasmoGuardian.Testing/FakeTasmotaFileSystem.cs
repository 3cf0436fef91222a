using System.Text;
using System.Text.RegularExpressions;

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
/// A Tasmota file system as <c>xdrv_50_filesystem.ino</c> serves it (15.1.0: UfsDirectory, UfsListDir,
/// UfsDownloadFile): the <c>/ufsd</c> page of the fixture tasmota_ufsd_root_15.1.0_esp32_{en,de}.html with one
/// UFS_FORM_SDC_DIRb line per entry of this file system, folders one page each, <c>/ufsd?download=/path</c> as an
/// attachment, and uploads into the folder whose page was opened last.
/// </summary>
public sealed partial class FakeTasmotaFileSystem
{
    // Illustrative, as in the fixtures: entries are not sorted by the firmware; the file system's order is kept.
    private const string FileTime = "2025-11-20T09:12:44";

    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _folders = new(StringComparer.Ordinal) { "/" };

    public UserFileBehavior Behavior { get; set; }

    /// <summary>Free space, checked against an upload's announced size (<c>fsz</c>): more is error 9, "File too large".</summary>
    public long FreeBytes { get; set; } = 268 * 1024;

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
    public async Task<string?> ServeAsync(FakeHttpExchange exchange, FakeTasmota device)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(device);
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
                await device.ContentAsync(exchange, 200, "text/html", Page("/", device));
                return "/";
            }

            var sent = Behavior == UserFileBehavior.Truncated && file.Length > 1 ? file[..(file.Length / 2)] : file;
            await FakeTasmota.RespondAsync(exchange, "tasmota_ufsd_download_response_head_15.1.0_esp32.http", sent, ("Content-Disposition", $"attachment; filename={path[(path.LastIndexOf('/') + 1)..]}"));
            return null;
        }

        if (!folder)
        {
            // UfsDownloadFile fails and UfsDirectory returns without sending anything.
            return null;
        }

        await device.ContentAsync(exchange, 200, "text/html", Page(path, device));
        return path;
    }

    /// <summary>A file uploaded after a /ufsd page: written into that folder, replacing what was there.</summary>
    public void Write(string folder, string fileName, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var path = folder == "/" ? "/" + fileName : $"{folder}/{fileName}";
        Put(path, content);
        lock (_gate)
        {
            Uploaded.Add(path);
        }
    }

    /// <summary>UfsDirectory's page: the fixture's head and tail, the "Folder:" line inside a folder, the ".." line and one line per entry.</summary>
    private string Page(string folder, FakeTasmota device)
    {
        var fixture = TasmotaFixtures.Text($"tasmota_ufsd_root_15.1.0_esp32_{device.Language}.html");
        var listStart = fixture.IndexOf(ListStart, StringComparison.Ordinal);
        var listEnd = fixture.IndexOf(NewFileForm, listStart, StringComparison.Ordinal);
        var afterForm = fixture.IndexOf("'>", listEnd + NewFileForm.Length, StringComparison.Ordinal) + 2;
        var newFile = NewFileName().Match(fixture).Groups["name"].Value;
        var confirm = Confirm().Match(fixture).Groups["text"].Value;

        var page = new StringBuilder(fixture[..listStart]);
        if (folder != "/")
        {
            page.Append("<p>Folder: ").Append(folder).Append("</p>");
        }

        page.Append(ListStart);
        if (folder != "/")
        {
            // UFS_FORM_SDC_DIRd: back up to the parent, whose link keeps its last '/' only at the root.
            var up = folder[..folder.LastIndexOf('/')];
            page.Append($"<pre><a href='ufsd?download={(up.Length == 0 ? "/" : up)}' file='{folder}'>..</a></pre>");
        }

        lock (_gate)
        {
            var prefix = folder == "/" ? "/" : folder + "/";
            var entries = _folders.Where(f => f != "/" && f.StartsWith(prefix, StringComparison.Ordinal) && !f[prefix.Length..].Contains('/', StringComparison.Ordinal)).Select(f => (Path: f, Content: (byte[]?)null))
                .Concat(_files.Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal) && !f.Key[prefix.Length..].Contains('/', StringComparison.Ordinal)).Select(f => (Path: f.Key, Content: (byte[]?)f.Value)))
                .OrderBy(e => e.Path, StringComparer.Ordinal);
            foreach (var (path, content) in entries)
            {
                Line(page, folder, path[(path.LastIndexOf('/') + 1)..], content, confirm);
            }
        }

        page.Append("</div>").Append(NewFileForm).Append(folder == "/" ? "/" : folder).Append('/').Append(newFile).Append("'>");
        page.Append(fixture[afterForm..]);
        return device.Dress(page.ToString(), "15.1.0");
    }

    private const string ListStart = "<div style='text-align:left;overflow:auto;height:250px;'>";
    private const string NewFileForm = "<form method='get' action='ufse'><input type='hidden' name='file' value='";

    /// <summary>
    /// UFS_FORM_SDC_DIRb "&lt;pre%s&gt;&lt;a href='%s' file='%s'&gt;%s&lt;/a&gt; %19s %8d %s %s&lt;/pre&gt;": the folder and
    /// the name each UrlEscape'd (the folder's '/' too), the name padded to 24 and HtmlEscape'd, names starting with '.'
    /// hideable; a folder has no time, size 0 and no edit link.
    /// </summary>
    private static void Line(StringBuilder page, string folder, string name, byte[]? content, string confirm)
    {
        var ppe = folder == "/" ? string.Empty : Uri.EscapeDataString(folder);
        var epe = Uri.EscapeDataString(name);
        var hidden = name.StartsWith('.') ? " class='hf'" : string.Empty;
        var delete = $"<a href='ufsd?delete={ppe}/{epe}&download={(ppe.Length == 0 ? "/" : ppe)}' onclick=\"return confirm('{confirm}')\">&#128293;</a>";
        var edit = content is null ? " " : $"<a href='ufse?file={ppe}/{epe}'>&#x1F4DD;</a>";
        var time = content is null ? string.Empty : FileTime;
        page.Append($"<pre{hidden}><a href='ufsd?download={ppe}/{epe}' file='{epe}'>{FakeTasmota.HtmlEscape(name.PadRight(24))}</a> {time,19} {content?.Length ?? 0,8} {delete} {edit}</pre>");
    }

    [GeneratedRegex(@"name='file' value='/[^']*/(?<name>[^'/]+)'")]
    private static partial Regex NewFileName();

    [GeneratedRegex(@"confirm\('(?<text>[^']*)'\)")]
    private static partial Regex Confirm();
}
