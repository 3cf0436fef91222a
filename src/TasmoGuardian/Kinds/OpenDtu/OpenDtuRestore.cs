using TasmoGuardian.Devices;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.OpenDtu;

/// <summary>
/// OpenDTU's restore, as its Config Management page does it (research §4.3): each file posted to
/// <c>{route}/upload?file=…</c>. The firmware checks nothing and restarts after every upload, so each file is checked
/// here first (config.json must hold "cfg"), config.json goes last, and after each file before it the device is waited
/// for until it is back up. The device's own save counter is not compared.
/// </summary>
internal sealed class OpenDtuRestore : IRestoreProtocol
{
    private static readonly TimeSpan RestartLimit = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    private readonly OpenDtuApi _api;
    private readonly TimeProvider _time;

    public OpenDtuRestore(OpenDtuApi api, TimeProvider time)
    {
        _api = api;
        _time = time;
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

    public async Task UploadAsync(DeviceAccess access, RestoreImage image, DeviceProbe before, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var files = (Dictionary<string, byte[]>)image.Parsed!;
        var (route, _) = await _api.ListAsync(access, cancellationToken);
        var order = FileSet.UploadOrder(files.Keys, "config.json");
        for (var i = 0; i < order.Count; i++)
        {
            var uploaded = _time.GetTimestamp();
            await _api.UploadAsync(access, route, order[i], files[order[i]], othersWritten: i > 0, cancellationToken);
            if (i < order.Count - 1)
            {
                await WaitUntilBackAsync(access, uploaded, order[i], cancellationToken);
            }
        }
    }

    public string? Differences(RestoreImage image, DownloadedBackup after)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(after);
        return FileSet.FirstDifference((Dictionary<string, byte[]>)image.Parsed!, BackupZip.Read(after.Content), jsonIgnore: ["cfg.save_count"]);
    }

    private async Task WaitUntilBackAsync(DeviceAccess access, long uploaded, string file, CancellationToken cancellationToken)
    {
        while (_time.GetElapsedTime(uploaded) < RestartLimit)
        {
            await Task.Delay(Poll, _time, cancellationToken);
            try
            {
                if ((await _api.ProbeAsync(access, cancellationToken)).Uptime is { } uptime && uptime < _time.GetElapsedTime(uploaded))
                {
                    return;
                }
            }
            catch (DeviceException)
            {
                // Restarting.
            }
        }

        throw DeviceException.Of(FailureKind.RestoreNotVerified, $"the device did not come back within {RestartLimit.TotalSeconds:0} s after {file}; the files before config.json may be restored: check it, or restore the pre-restore backup");
    }
}
