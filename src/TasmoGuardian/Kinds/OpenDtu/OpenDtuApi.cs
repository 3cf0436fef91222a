using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.OpenDtu;

/// <summary>
/// OpenDTU's web API (research §4.3): <c>/api/system/status</c> and <c>/api/network/status</c> (read-only access, on by
/// default), and the file routes, which always need the admin password: <c>/api/file/*</c> since v24.11.7,
/// <c>/api/config/*</c> before. An unknown route is answered with the web app (index.html, 200), so the new route is
/// asked first and a web page means the old one.
/// </summary>
internal sealed class OpenDtuApi
{
    public const int MaxInfoBytes = 256 * 1024;

    private readonly DeviceHttp _http;
    private readonly GuardianOptions _options;

    public OpenDtuApi(DeviceHttp http, GuardianOptions options)
    {
        _http = http;
        _options = options;
    }

    public TimeSpan Timeout => _options.RequestTimeout;

    public async Task<byte[]> GetJsonAsync(DeviceAccess access, string path, CancellationToken cancellationToken, params string[] keys) =>
        PartCheck.JsonObject(await _http.GetAsync(access.Url(path), access, Timeout, MaxInfoBytes, cancellationToken), path, access.HasPassword, keys);

    /// <summary>The route prefix this firmware's files are under ("/api/file" or "/api/config"), and its listing.</summary>
    public async Task<(string Route, IReadOnlyList<ListedFile> Files)> ListAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        foreach (var route in (string[])["/api/file", "/api/config"])
        {
            var answer = await _http.GetAsync(access.Url(route + "/list"), access, Timeout, MaxInfoBytes, cancellationToken);
            if (answer.StatusCode == 404 || answer.IsOk && WebPage.LooksLikeHtml(answer.Body))
            {
                continue;
            }

            DeviceHttp.RequireOk(answer, route + "/list", access.HasPassword);
            var files = FileSet.ParseListing(answer.Body, "/", route + "/list").Where(f => !f.IsDirectory).ToList();
            if (files.Count > FileSet.MaxFiles)
            {
                throw DeviceException.Of(FailureKind.TooLarge, $"the device lists {files.Count} files, more than {FileSet.MaxFiles}");
            }

            return (route, files);
        }

        throw DeviceException.Of(FailureKind.HtmlPage, "neither /api/file/list nor /api/config/list is a file list (the device answers with its web app): is this OpenDTU?");
    }

    public async Task<byte[]> GetFileAsync(DeviceAccess access, string route, ListedFile file, CancellationToken cancellationToken)
    {
        var what = $"{route}/get?file={file.Path}";
        var answer = DeviceHttp.RequireOk(await _http.GetAsync(access.Url($"{route}/get?file={System.Uri.EscapeDataString(file.Path)}"), access, Timeout, FileSet.MaxFileBytes, cancellationToken), what, access.HasPassword);
        return FileSet.Check(file.Path, answer.Body, file.Size);
    }

    /// <summary>Uploads one file as the web UI does; the device restarts by itself once it answers.</summary>
    public async Task UploadAsync(DeviceAccess access, string route, string path, byte[] content, bool othersWritten, CancellationToken cancellationToken)
    {
        var answer = await _http.PostAsync(access.Url($"{route}/upload?file={System.Uri.EscapeDataString(path)}"), () => FileSet.Form("config", "config", content), access, Timeout, 64 * 1024, cancellationToken);
        FileSet.RequireWritten(answer, path, FileSet.Changed(othersWritten));
    }

    public async Task<DeviceProbe> ProbeAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        var status = await GetJsonAsync(access, "/api/system/status", cancellationToken, "hostname");
        using var document = JsonRead.Object(status, out _)!;
        var root = document.RootElement;
        return new DeviceProbe(Version(root))
        {
            Uptime = JsonRead.Int64(root, "uptime") is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        };
    }

    /// <summary>
    /// Releases are git tags ("v24.11.7", kept as "24.11.7" like every other kind's version, so the file name reads
    /// "-v24.11.7"); a build from a branch shows its hash.
    /// </summary>
    public static string? Version(System.Text.Json.JsonElement status) => DeviceText.CleanTagVersion(JsonRead.String(status, "git_hash"));

}
