using TasmoGuardian.Devices;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.OpenDtu;

/// <summary>
/// OpenDTU's restore, as its Config Management page does it (research §4.3): each file posted to
/// <c>{route}/upload?file=…</c>. The firmware checks nothing and restarts after every upload, so each file is checked
/// here first (config.json must hold "cfg"), config.json goes last, and after each file before it the worker's restart
/// watch waits until the device is back. The device's own save counter is not compared.
/// </summary>
internal sealed class OpenDtuRestore : IRestoreProtocol
{
    private readonly OpenDtuApi _api;

    public OpenDtuRestore(OpenDtuApi api)
    {
        _api = api;
    }

    public RestoreImage Open(byte[] stored, string? recordedPlatform)
    {
        var entries = BackupZip.Read(stored);
        PartCheck.JsonObject(BackupZip.Entry(entries, "config.json"), "the stored config.json", "cfg");
        var files = entries.Where(e => e.Key != "info.json").ToDictionary(e => e.Key, e => FileSet.Check(e.Key, e.Value, null), StringComparer.Ordinal);
        return new RestoreImage(stored, recordedPlatform, BackupZip.InfoVersion(entries, OpenDtuApi.Version)) { Parsed = files };
    }

    public async Task<DeviceProbe> ProbeAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        var probe = await _api.ProbeAsync(access, cancellationToken);

        // The file routes need the admin password even where status does not: a wrong one shows here, before anything.
        await _api.ListAsync(access, cancellationToken);
        return probe;
    }

    public string? Refuses(RestoreImage image, DownloadedBackup current) => null;

    public async Task UploadAsync(DeviceAccess access, RestoreImage image, DeviceProbe before, Func<CancellationToken, Task> restarted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var files = (Dictionary<string, byte[]>)image.Parsed!;
        var (route, _) = await _api.ListAsync(access, cancellationToken);
        var order = FileSet.UploadOrder(files.Keys, "config.json");
        for (var i = 0; i < order.Count; i++)
        {
            await _api.UploadAsync(access, route, order[i], files[order[i]], othersWritten: i > 0, cancellationToken);
            if (i < order.Count - 1)
            {
                await restarted(cancellationToken);
            }
        }
    }

    public string? Differences(RestoreImage image, DownloadedBackup after)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(after);
        return FileSet.FirstDifference((Dictionary<string, byte[]>)image.Parsed!, BackupZip.Read(after.Content), jsonIgnore: ["cfg.save_count"]);
    }
}
