using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.OpenHasp;

/// <summary>
/// openHASP's restore (research §4.7): every file posted to <c>/edit</c> (the multipart file name is the path), then
/// <c>GET /reboot</c>. config.json comes with its passwords masked; the firmware skips a value equal to the mask, so the
/// device keeps the passwords it has. Onto another device that would leave it without them, so a backup goes back
/// only onto the device it came from. Compared afterwards: every file (config.json masked again, as it is served).
/// </summary>
internal sealed class OpenHaspRestore : IRestoreProtocol
{
    private readonly OpenHaspKind _kind;
    private readonly DeviceHttp _http;
    private readonly GuardianOptions _options;

    public OpenHaspRestore(OpenHaspKind kind, DeviceHttp http, GuardianOptions options)
    {
        _kind = kind;
        _http = http;
        _options = options;
    }

    public RestoreImage Open(byte[] stored, string? recordedPlatform)
    {
        var entries = BackupZip.Read(stored);
        var info = PartCheck.JsonObject(BackupZip.Entry(entries, "info.json"), "the stored info.json");
        PartCheck.JsonObject(BackupZip.Entry(entries, OpenHaspKind.ConfigFile), "the stored config.json");
        var files = entries.Where(e => e.Key != "info.json")
            .ToDictionary(e => FileSet.SafePath(e.Key, "the stored backup"), e => FileSet.Check(e.Key, e.Value, null), StringComparer.Ordinal);
        var source = OpenHaspKind.Parse(info, null);
        return new RestoreImage(stored, recordedPlatform, source.Version) { Parsed = new OpenHaspImage(files, source.Mac) };
    }

    public async Task<DeviceProbe> ProbeAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        // Its uptime is a sentence in the firmware's language, so neither uptime nor a boot count is given: the restart
        // is seen as the plate going away, which takes seconds on an ESP32 with a display, longer than the poll.
        using var document = JsonRead.Object(await _kind.InfoAsync(access, cancellationToken), out _)!;
        return new DeviceProbe(OpenHaspKind.Version(document.RootElement));
    }

    public string? Refuses(RestoreImage image, DownloadedBackup current)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(current);
        var restore = (OpenHaspImage)image.Parsed!;
        var target = OpenHaspKind.Parse(BackupZip.Entry(BackupZip.Read(current.Content), "info.json"), null);
        return target.Mac == restore.Mac
            ? null
            : "openHASP serves config.json with its passwords masked, so this backup has none; put onto another device it would leave it without Wi-Fi, MQTT and web passwords. Restore it onto the device it came from";
    }

    public async Task UploadAsync(DeviceAccess access, RestoreImage image, DeviceProbe before, Func<CancellationToken, Task> restarted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var restore = (OpenHaspImage)image.Parsed!;

        // config.json last: it is what the device reads first after the restart.
        var order = FileSet.UploadOrder(restore.Files.Keys, OpenHaspKind.ConfigFile);
        for (var i = 0; i < order.Count; i++)
        {
            await _kind.Files.UploadAsync(access, "data", order[i], restore.Files[order[i]], i > 0, cancellationToken);
        }

        FileSet.RequireRebooting(await _http.GetAsync(access.Url("/reboot"), access, _options.RequestTimeout, 64 * 1024, cancellationToken), "/reboot", "the files are");
    }

    public string? Differences(RestoreImage image, DownloadedBackup after)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(after);
        return FileSet.FirstDifference(((OpenHaspImage)image.Parsed!).Files, BackupZip.Read(after.Content));
    }

    /// <summary>What an openHASP restore sends, and the device it came from.</summary>
    private sealed record OpenHaspImage(Dictionary<string, byte[]> Files, Mac Mac);
}
