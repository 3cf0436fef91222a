using System.Net.Http.Headers;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.Awtrix;

/// <summary>
/// Awtrix 3's restore, as its own Backup &amp; Restore page does it (research §4.6): every file posted to <c>/edit</c>
/// (the multipart file name is the path written), then the display settings posted as JSON to <c>/api/settings</c> in
/// the form it reads them (<see cref="AwtrixSettings"/>), then <c>POST /api/reboot</c>. A restart shows as an uptime
/// smaller than the time since the upload. Files the device has and the backup has not are left alone. The settings
/// POST answers 200 whatever it took, so the comparison after the restart is what shows they are back.
/// </summary>
internal sealed class AwtrixRestore : RestoreProtocol<AwtrixRestore.AwtrixImage>
{
    private readonly AwtrixKind _kind;
    private readonly DeviceHttp _http;
    private readonly GuardianOptions _options;

    public AwtrixRestore(AwtrixKind kind, DeviceHttp http, GuardianOptions options)
    {
        _kind = kind;
        _http = http;
        _options = options;
    }

    public override RestoreImage<AwtrixRestore.AwtrixImage> Open(byte[] stored, string? recordedPlatform)
    {
        var entries = BackupZip.Read(stored);
        var settings = PartCheck.JsonObject(BackupZip.Entry(entries, AwtrixKind.SettingsFile), "the stored " + AwtrixKind.SettingsFile);
        var info = PartCheck.JsonObject(BackupZip.Entry(entries, "info.json"), "the stored info.json", "uid");
        var files = entries.Where(e => e.Key is not ("info.json" or AwtrixKind.SettingsFile))
            .ToDictionary(e => FileSet.SafePath(e.Key, "the stored backup"), e => FileSet.Check(e.Key, e.Value, null), StringComparer.Ordinal);
        using var document = JsonRead.Object(info, out _)!;
        return new RestoreImage<AwtrixRestore.AwtrixImage>(stored, recordedPlatform, AwtrixKind.Version(document.RootElement), new AwtrixImage(files, settings));
    }

    public override async Task<DeviceProbe> ProbeAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        using var document = JsonRead.Object(await _kind.StatsAsync(access, cancellationToken), out _)!;
        var root = document.RootElement;
        return new DeviceProbe(AwtrixKind.Version(root)) { Uptime = AwtrixKind.Uptime(root) };
    }

    public override async Task UploadAsync(DeviceAccess access, RestoreImage<AwtrixRestore.AwtrixImage> image, DeviceProbe before, Func<CancellationToken, Task> restarted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var restore = image.Parsed;
        await FileSet.UploadEachAsync(restore.Files, null, (path, content, othersWritten, token) => _kind.Files.UploadAsync(access, "file", path, content, othersWritten, token), null, cancellationToken);
        var written = restore.Files.Count > 0;

        var body = AwtrixSettings.ForPost(restore.Settings);
        var settings = await _http.PostAsync(access.Url("/api/settings"), () => Json(body), access, _options.RequestTimeout, 64 * 1024, cancellationToken);
        if (!settings.IsOk)
        {
            throw DeviceException.Of(FailureKind.RestoreRejected, $"the device refused its display settings (HTTP {settings.StatusCode}){(written ? "; its files are already restored: restore the pre-restore backup to undo them" : "; nothing was changed")}");
        }

        FileSet.RequireRebooting(await _http.PostAsync(access.Url("/api/reboot"), () => new ByteArrayContent([]), access, _options.RequestTimeout, 64 * 1024, cancellationToken), "/api/reboot", "everything is");
    }

    public override string? Differences(RestoreImage<AwtrixRestore.AwtrixImage> image, DownloadedBackup after)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(after);
        var restore = image.Parsed;
        var now = BackupZip.Read(after.Content);
        if (FileSet.FirstDifference(restore.Files, now) is { } file)
        {
            return file;
        }

        return JsonCompare.FirstMissing(restore.Settings, BackupZip.Entry(now, AwtrixKind.SettingsFile), exact: false, AwtrixSettings.NotKeptOverRestart) is { } setting
            ? $"the device came back with other display settings than the backup's ({setting})"
            : null;
    }

    private static ByteArrayContent Json(byte[] body) => new(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };

    /// <summary>What an Awtrix restore sends: the files by path, and the settings object.</summary>
    internal sealed record AwtrixImage(Dictionary<string, byte[]> Files, byte[] Settings);
}
