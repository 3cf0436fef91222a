using System.Globalization;
using System.Net.Http.Headers;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>
/// Tasmota's user files (research §1.7): Berry scripts, <c>.tapp</c> apps, Matter state and other files on the
/// device's file system, which <c>/dl</c> does not carry. Listed from the <c>/ufsd</c> page (folders one page each),
/// each downloaded from <c>/ufsd?download=</c> and kept only when it arrives as the file the listing announced, with
/// its size; put back as the file manager's own form does it, <c>GET /ufsd?download=/folder</c> (which points the next
/// upload at that folder) then <c>POST /ufsu?fsz=&lt;size&gt;</c>. Names starting with '.' are the firmware's own (driver
/// settings, which the dump carries) and are left out.
/// </summary>
/// <remarks>
/// Why <c>/ufsu</c> and never <c>/u2</c>: the upload target is one flag for the whole device, so a file posted to
/// <c>/u2</c> is written too, but <c>/u2</c>'s HandleUploadDone then restarts the device after every accepted upload
/// (<c>restart_flag = 2</c>, xdrv_01_9_webserver.ino @3b28c3d7:3360): one restart per file. <c>/ufsu</c> answers with
/// HandleUploadUFSDone (xdrv_50_filesystem.ino @3b28c3d7:1344, since 13.4.0, arendst/Tasmota a13e83e1e): the same
/// "Upload Successful/Failed" page without a restart. Up to 13.3 <c>/ufsu</c> wrote the file and answered a bare
/// 303 to <c>/ufsu</c> with no verdict (@b53a1611:1170); files are only restored on 14.6 and later
/// (<see cref="FirstVersion"/>), where the restore's final comparison checks every file anyway.
/// </remarks>
internal sealed class TasmotaUserFiles
{
    /// <summary>Firmware from this version on is asked for its files, as the issue and HomeRecall do (research §5).</summary>
    public static readonly Version FirstVersion = new(14, 6);

    // ESP32 file systems hold a few hundred KiB up to a few MiB; these bounds only stop a device that never ends.
    public const int MaxFileBytes = 16 * 1024 * 1024;
    public const int MaxFiles = 500;
    private const int MaxFolderDepth = 4;
    private const int MaxPageBytes = 512 * 1024;
    private static readonly TimeSpan UploadTimeout = TimeSpan.FromSeconds(60);

    private readonly DeviceHttp _http;
    private readonly GuardianOptions _options;
    private readonly TimeProvider _time;

    public TasmotaUserFiles(DeviceHttp http, GuardianOptions options, TimeProvider time)
    {
        _http = http;
        _options = options;
        _time = time;
    }

    /// <summary>Whether firmware of this version is asked for its user files.</summary>
    public static bool Applies(string? version) =>
        version is not null
        && System.Version.TryParse(string.Join('.', version.Split('.').Take(2)), out var parsed)
        && parsed >= FirstVersion;

    /// <summary>
    /// Every user file, whole, as a zip under the device's paths ("autoexec.be", "lib/x.be", folders as "lib/"); null
    /// when the file system is empty or there is none.
    /// </summary>
    /// <exception cref="DeviceException">A listing or a file did not arrive as announced; the reason names it.</exception>
    public async Task<byte[]?> DownloadAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var zip = new BackupZip();
        var files = 0;
        var folders = new Queue<(string Path, int Depth)>();
        folders.Enqueue(("/", 0));
        while (folders.TryDequeue(out var folder))
        {
            var entries = await ListAsync(access, folder.Path, cancellationToken);
            if (entries is null)
            {
                return folder.Path == "/"
                    ? null
                    : throw DeviceException.Of(FailureKind.HtmlPage, $"the user file folder {folder.Path} came back without its file list");
            }

            foreach (var entry in entries.Where(e => !e.Name.StartsWith('.')))
            {
                if (entry.IsFolder)
                {
                    if (folder.Depth < MaxFolderDepth)
                    {
                        zip.Add(entry.Path[1..] + "/", []);
                        folders.Enqueue((entry.Path, folder.Depth + 1));
                    }

                    continue;
                }

                if (++files > MaxFiles)
                {
                    throw DeviceException.Of(FailureKind.TooLarge, $"the device lists more than {MaxFiles} user files");
                }

                zip.Add(entry.Path[1..], await DownloadFileAsync(access, entry, cancellationToken));
            }
        }

        return zip.Names.Count == 0 ? null : zip.ToArray(_time);
    }

    /// <summary>Puts every file of a backup back, each into its folder; files the backup does not hold stay as they are.</summary>
    public async Task UploadAsync(DeviceAccess access, IReadOnlyDictionary<string, byte[]> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(files);
        foreach (var (name, content) in files.Where(f => !f.Key.EndsWith('/')).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var slash = name.LastIndexOf('/');
            var folder = slash < 0 ? "/" : "/" + name[..slash];
            var fileName = name[(slash + 1)..];

            // Opening the folder's page points the upload at it; a folder the device does not have leaves it at the
            // root, where the file must not land.
            if (await ListAsync(access, folder, cancellationToken) is null)
            {
                throw DeviceException.Of(FailureKind.RestoreRejected, folder == "/"
                    ? $"the device has no file system for the backup's user files ({name}, …)"
                    : $"the device has no folder {folder} for the user file {name}");
            }

            var posted = await _http.PostAsync(
                access.Url($"/ufsu?fsz={content.Length.ToString(CultureInfo.InvariantCulture)}"),
                () => Multipart(fileName, content),
                access,
                UploadTimeout,
                MaxPageBytes,
                cancellationToken);
            if (posted.StatusCode == 303)
            {
                // Firmware before 13.4 redirects to the file manager without a verdict; the comparison after the restore tells.
                continue;
            }

            var answer = DeviceHttp.RequireOk(posted, $"the user file {name}", access.HasPassword);
            var (verdict, code, text) = TasmotaUploadAnswer.Read(answer.Body);
            if (verdict != TasmotaUploadAnswer.Verdict.Accepted)
            {
                throw DeviceException.Of(FailureKind.RestoreRejected, $"the device did not take the user file {name}: {(verdict == TasmotaUploadAnswer.Verdict.Rejected ? TasmotaUploadAnswer.ExplainUserFile(code, text) : "its answer says neither success nor failure")}");
            }
        }
    }

    /// <summary>The folders a backup's files need that <paramref name="current"/> (the device's files now) does not show; empty when none.</summary>
    public static IReadOnlyList<string> MissingFolders(IReadOnlyDictionary<string, byte[]> backup, IReadOnlyDictionary<string, byte[]>? current) =>
        [.. backup.Keys
            .Where(k => !k.EndsWith('/') && k.Contains('/', StringComparison.Ordinal))
            .Select(k => k[..(k.LastIndexOf('/') + 1)])
            .Distinct(StringComparer.Ordinal)
            .Where(folder => current is null || !current.ContainsKey(folder))
            .Select(folder => "/" + folder.TrimEnd('/'))];

    /// <summary>A backup's files the device does not hold now as they were; null when every one is back.</summary>
    public static string? Differences(IReadOnlyDictionary<string, byte[]> backup, IReadOnlyDictionary<string, byte[]>? now)
    {
        foreach (var (name, content) in backup.Where(f => !f.Key.EndsWith('/')))
        {
            if (now is null || !now.TryGetValue(name, out var found))
            {
                return $"the device came back without the user file /{name}";
            }

            if (!found.AsSpan().SequenceEqual(content))
            {
                return $"the device's user file /{name} differs from the backup's";
            }
        }

        return null;
    }

    /// <summary>A path for the query, escaped as the firmware's links are (UrlEscape): every part, not the slashes.</summary>
    private static string EscapePath(string path) => Uri.EscapeDataString(path).Replace("%2F", "/", StringComparison.Ordinal);

    private static MultipartFormDataContent Multipart(string fileName, byte[] content)
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { file, "ufsu", fileName } };
    }

    private async Task<IReadOnlyList<TasmotaFileListing.Entry>?> ListAsync(DeviceAccess access, string folder, CancellationToken cancellationToken)
    {
        var query = folder == "/" ? string.Empty : "?download=" + EscapePath(folder);
        HttpAnswer answer;
        try
        {
            answer = await _http.GetAsync(access.Url($"/ufsd{query}"), access, _options.RequestTimeout, MaxPageBytes, cancellationToken);
        }
        catch (DeviceException ex)
        {
            throw DeviceException.Of(ex.Failure.Kind, $"the user file folder {folder}: {ex.Failure.Reason}");
        }

        if (answer.StatusCode == 404 && folder == "/")
        {
            // A build without a file system (ESP8266 with 1 MB, or without USE_UFILESYS) has no such page.
            return null;
        }

        DeviceHttp.RequireOk(answer, $"the user file folder {folder}", access.HasPassword);
        return TasmotaFileListing.Read(answer.Body)
            ?? (folder == "/"
                ? throw DeviceException.Of(FailureKind.HtmlPage, "the file system page /ufsd is not Tasmota's file list")
                : null);
    }

    private async Task<byte[]> DownloadFileAsync(DeviceAccess access, TasmotaFileListing.Entry entry, CancellationToken cancellationToken)
    {
        if (entry.Size > MaxFileBytes)
        {
            throw DeviceException.Of(FailureKind.TooLarge, $"Tasmota user file {entry.Path} is {entry.Size} bytes, more than the {MaxFileBytes} kept");
        }

        var path = EscapePath(entry.Path);
        HttpAnswer answer;
        try
        {
            answer = DeviceHttp.RequireOk(
                await _http.GetAsync(access.Url($"/ufsd?download={path}"), access, _options.RequestTimeout, MaxFileBytes, cancellationToken),
                $"the user file {entry.Path}",
                access.HasPassword);
        }
        catch (DeviceException ex)
        {
            throw DeviceException.Of(ex.Failure.Kind, $"Tasmota user file {entry.Path}: {ex.Failure.Reason}");
        }

        // The firmware sends a file as an attachment; without that header the answer is a page (a folder's, or an error's).
        if (answer.FileName is null)
        {
            throw DeviceException.Of(FailureKind.HtmlPage, $"Tasmota user file {entry.Path} came back as a web page, not as the file");
        }

        if (answer.Body.Length != entry.Size)
        {
            throw DeviceException.Of(FailureKind.Truncated, $"Tasmota user file {entry.Path} came back with {answer.Body.Length} bytes; the device listed {entry.Size}");
        }

        return answer.Body;
    }
}
