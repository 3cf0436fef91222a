using TasmoGuardian.Devices;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.OpenDtu;

/// <summary>
/// OpenDTU's restore, as its Config Management page does it (research §4.3): each file posted to
/// <c>{route}/upload?file=…</c>. The firmware checks nothing and restarts after every upload, so each file is checked
/// here first (config.json must hold "cfg"), config.json goes last, and after each file before it the worker's restart
/// watch waits until the device is back. The device's own save counter is not compared.
/// </summary>
internal sealed class OpenDtuRestore : RestoreProtocol<Dictionary<string, byte[]>>
{
    private readonly OpenDtuApi _api;

    public OpenDtuRestore(OpenDtuApi api)
    {
        _api = api;
    }

    public override RestoreImage<Dictionary<string, byte[]>> Open(byte[] stored, string? recordedPlatform)
    {
        var entries = BackupZip.Read(stored);
        PartCheck.JsonObject(BackupZip.Entry(entries, "config.json"), "the stored config.json", "cfg");
        var files = entries.Where(e => e.Key != "info.json").ToDictionary(e => e.Key, e => FileSet.Check(e.Key, e.Value, null), StringComparer.Ordinal);
        return new RestoreImage<Dictionary<string, byte[]>>(stored, recordedPlatform, BackupZip.InfoVersion(entries, OpenDtuApi.Version), files);
    }

    public override async Task<DeviceProbe> ProbeAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        var probe = await _api.ProbeAsync(access, cancellationToken);

        // The file routes need the admin password even where status does not: a wrong one shows here, before anything.
        await _api.ListAsync(access, cancellationToken);
        return probe;
    }

    public override async Task UploadAsync(DeviceAccess access, RestoreImage<Dictionary<string, byte[]>> image, DeviceProbe before, Func<CancellationToken, Task> restarted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (route, _) = await _api.ListAsync(access, cancellationToken);
        await FileSet.UploadEachAsync(image.Parsed, "config.json", (path, content, othersWritten, token) => _api.UploadAsync(access, route, path, content, othersWritten, token), restarted, cancellationToken);
    }

    public override string? Differences(RestoreImage<Dictionary<string, byte[]>> image, DownloadedBackup after)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(after);
        return FileSet.FirstDifference(image.Parsed, BackupZip.Read(after.Content), jsonIgnore: ["cfg.save_count"]);
    }
}
