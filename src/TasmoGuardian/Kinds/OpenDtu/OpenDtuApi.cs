using System.Text.RegularExpressions;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.OpenDtu;

/// <summary>
/// OpenDTU's web API (research §4.3): <c>/api/system/status</c> and <c>/api/network/status</c> (read-only access, on by
/// default), and the file routes, which always need the admin password: <c>/api/file/*</c> since v24.11.7,
/// <c>/api/config/*</c> before. An unknown route is answered with the web app (index.html.gz, 200 text/html,
/// gzip-encoded whatever the client accepts: WebApi_webapp.cpp onNotFound), so the new route is asked first and the
/// web app means the old one.
/// </summary>
internal sealed partial class OpenDtuApi
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

    public async Task<byte[]> GetJsonAsync(DeviceAccess access, string path, CancellationToken cancellationToken, params string[] keys)
    {
        var answer = await _http.GetAsync(access.Url(path), access, Timeout, MaxInfoBytes, cancellationToken);
        if (answer.IsOk && IsWebApp(answer))
        {
            throw DeviceException.Of(FailureKind.HtmlPage, $"{path} is a web page, not the device's data");
        }

        return PartCheck.JsonObject(answer, path, access.HasPassword, keys);
    }

    /// <summary>The route prefix this firmware's files are under ("/api/file" or "/api/config"), and its listing.</summary>
    public async Task<(string Route, IReadOnlyList<ListedFile> Files)> ListAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        foreach (var route in (string[])["/api/file", "/api/config"])
        {
            var answer = await _http.GetAsync(access.Url(route + "/list"), access, Timeout, MaxInfoBytes, cancellationToken);
            if (answer.StatusCode == 404 || answer.IsOk && IsWebApp(answer))
            {
                continue;
            }

            DeviceHttp.RequireOk(answer, route + "/list", access.HasPassword);
            var files = ParseList(answer.Body, route + "/list").Where(f => !f.IsDirectory).ToList();
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
    /// <c>git_hash</c> is <c>git describe</c> of the build (pio-scripts/auto_firmware_version.py): the tag of a release
    /// ("v26.3.30" → "26.3.30"), the tag and how far past it for a later build ("v26.3.30-5-gabcdef0" → "26.3.30"),
    /// and a bare commit ("g0000000" without git) when no tag is near, which is no version.
    /// </summary>
    public static string? Version(System.Text.Json.JsonElement status) => TagVersion(JsonRead.String(status, "git_hash"));

    public static string? TagVersion(string? describe)
    {
        var match = describe is null ? null : Describe().Match(describe.Trim());
        return match is { Success: true } ? DeviceText.CleanVersion(match.Groups["version"].Value) : null;
    }

    /// <summary>The web app, which the firmware sends for every path it has no handler for.</summary>
    private static bool IsWebApp(HttpAnswer answer) =>
        string.Equals(answer.ContentType, "text/html", StringComparison.OrdinalIgnoreCase)
        || answer.Body is [0x1F, 0x8B, ..]
        || WebPage.LooksLikeHtml(answer.Body);

    /// <summary>v24.11.7 and later list <c>[{"name","size"}]</c>; before, <c>{"configs":[{"name"}]}</c> without sizes (WebApi_config.cpp).</summary>
    private static IReadOnlyList<ListedFile> ParseList(byte[] body, string part)
    {
        using (var document = PartCheck.Json(body, part, "the device's file list", maxDepth: 16))
        {
            if (document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && document.RootElement.TryGetProperty("configs", out var configs)
                && configs.ValueKind == System.Text.Json.JsonValueKind.Array)
            {
                return FileSet.ParseListing(System.Text.Encoding.UTF8.GetBytes(configs.GetRawText()), "/", part);
            }
        }

        return FileSet.ParseListing(body, "/", part);
    }

    [GeneratedRegex(@"^[vV]?(?<version>[0-9]+(?:\.[0-9]+)+(?:-[0-9A-Za-z.]+?)?)(?:-[0-9]+-g[0-9a-f]{4,40})?$")]
    private static partial Regex Describe();
}
