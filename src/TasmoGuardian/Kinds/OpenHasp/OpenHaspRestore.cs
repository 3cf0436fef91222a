using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.OpenHasp;

/// <summary>
/// openHASP's restore (research §4.7): every file posted to <c>/edit</c> (the multipart file name is the path), then
/// <c>GET /reboot</c>. config.json comes with its passwords masked ("********"), and what the mask does depends on the
/// firmware: openHASP 0.7 keeps the passwords outside the file and skips a masked value, so the plate keeps the
/// passwords it has; openHASP before 0.7 keeps them in the file, so the mask would become its passwords and the plate
/// would lose its Wi-Fi at the restart. So a backup goes back only onto the plate it came from, and onto a plate before
/// 0.7 config.json goes back only while it is unchanged (then it is not sent at all). Compared afterwards: every file
/// (config.json masked again, as it is served).
/// </summary>
internal sealed class OpenHaspRestore : RestoreProtocol<OpenHaspRestore.OpenHaspImage>
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

    public override RestoreImage<OpenHaspRestore.OpenHaspImage> Open(byte[] stored, string? recordedPlatform)
    {
        var entries = BackupZip.Read(stored);
        var info = PartCheck.JsonObject(BackupZip.Entry(entries, OpenHaspKind.InfoFile), "the stored info.json");
        PartCheck.JsonObject(BackupZip.Entry(entries, OpenHaspKind.ConfigFile), "the stored config.json");
        var files = entries.Where(e => e.Key is not (OpenHaspKind.InfoFile or OpenHaspKind.DiscoveryFile))
            .ToDictionary(e => FileSet.SafePath(e.Key, "the stored backup"), e => FileSet.Check(e.Key, e.Value, null), StringComparer.Ordinal);
        using var document = JsonRead.Object(info, out _)!;
        return new RestoreImage<OpenHaspRestore.OpenHaspImage>(stored, recordedPlatform, OpenHaspKind.Version(document.RootElement), new OpenHaspImage(files, OpenHaspKind.MacOf(entries)));
    }

    public override async Task<DeviceProbe> ProbeAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        // Its uptime is a sentence in the firmware's language, so neither uptime nor a boot count is given: the restart
        // is seen as the plate going away, which takes seconds on an ESP32 with a display, longer than the poll.
        using var document = JsonRead.Object(await _kind.InfoAsync(access, cancellationToken), out _)!;
        return new DeviceProbe(OpenHaspKind.Version(document.RootElement));
    }

    public override string? Refuses(RestoreImage<OpenHaspRestore.OpenHaspImage> image, DownloadedBackup current)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(current);
        var restore = image.Parsed;
        var now = BackupZip.Read(current.Content);
        var target = OpenHaspKind.MacOf(now);
        if (restore.Mac is null || target is null)
        {
            return $"the {(restore.Mac is null ? "backup" : "plate")} does not tell which plate it is (an Ethernet build of openHASP has no MAC in /api/info/, and its MQTT discovery message was not seen), so it cannot be told that the backup is this plate's; config.json holds no passwords, so onto another plate it would leave it without them. Wait for the plate's discovery message (announce_discovery on) and try again";
        }

        if (target != restore.Mac)
        {
            return "openHASP serves config.json with its passwords masked, so this backup has none; put onto another device it would leave it without Wi-Fi, MQTT and web passwords. Restore it onto the device it came from";
        }

        // A plate before 0.7 would store the mask as its passwords; sending config.json is safe only when nothing in it changes.
        if (OpenHaspKind.KeepsPasswordsInConfig(current.Version)
            && JsonCompare.FirstMissing(restore.Files[OpenHaspKind.ConfigFile], BackupZip.Entry(now, OpenHaspKind.ConfigFile), exact: true) is { } change)
        {
            return $"openHASP {current.Version ?? "before 0.7"} keeps its Wi-Fi, MQTT and web passwords in config.json, and the backup's config.json has them masked (\"{OpenHaspKind.PasswordMask}\"): restored, the mask would become the plate's passwords and it would lose its Wi-Fi at the restart. The plate's config.json differs from the backup's ({change}), so nothing was restored. Update the plate to openHASP 0.7 or later, or change its settings by hand";
        }

        return null;
    }

    public override async Task UploadAsync(DeviceAccess access, RestoreImage<OpenHaspRestore.OpenHaspImage> image, DeviceProbe before, Func<CancellationToken, Task> restarted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(before);
        var restore = image.Parsed;

        // config.json last: it is what the device reads first after the restart. A plate that keeps its passwords in it
        // has it unchanged (Refuses): sending it would only replace them with the mask.
        var files = OpenHaspKind.KeepsPasswordsInConfig(before.Version)
            ? restore.Files.Where(f => f.Key != OpenHaspKind.ConfigFile).ToDictionary(StringComparer.Ordinal)
            : restore.Files;
        await FileSet.UploadEachAsync(files, OpenHaspKind.ConfigFile, (path, content, othersWritten, token) => _kind.Files.UploadAsync(access, "data", path, content, othersWritten, token), null, cancellationToken);

        FileSet.RequireRebooting(await _http.GetAsync(access.Url("/reboot"), access, _options.RequestTimeout, 64 * 1024, cancellationToken), "/reboot", "the files are");
    }

    public override string? Differences(RestoreImage<OpenHaspRestore.OpenHaspImage> image, DownloadedBackup after)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(after);
        return FileSet.FirstDifference(image.Parsed.Files, BackupZip.Read(after.Content));
    }

    /// <summary>What an openHASP restore sends, and the plate it came from (null when the backup does not tell).</summary>
    internal sealed record OpenHaspImage(Dictionary<string, byte[]> Files, Mac? Mac);
}
