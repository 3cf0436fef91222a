using System.Text;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.AhoyDtu;

/// <summary>
/// AhoyDTU's restore, as its Setup page's "Import" does it (research §4.4): settings.json posted to <c>/upload</c> as the
/// form field "upload" (web.h onUpload2 takes any file part). The device reads it over its defaults, keeps its current
/// Wi-Fi password, saves and reboots, answering an HTML page that says "Upload: success" or "Upload: failed"; it
/// reboots after a failed upload too, keeping its saved settings. Compared afterwards: every setting but the two
/// passwords the export empties.
/// </summary>
internal sealed class AhoyDtuRestore : RestoreProtocol<byte[]>
{
    private readonly AhoyDtuKind _kind;
    private readonly DeviceHttp _http;
    private readonly GuardianOptions _options;

    public AhoyDtuRestore(AhoyDtuKind kind, DeviceHttp http, GuardianOptions options)
    {
        _kind = kind;
        _http = http;
        _options = options;
    }

    public override RestoreImage<byte[]> Open(byte[] stored, string? recordedPlatform)
    {
        var entries = BackupZip.Read(stored);
        var settings = PartCheck.JsonObject(BackupZip.Entry(entries, "settings.json"), "the stored settings.json", "wifi", "inst");
        return new RestoreImage<byte[]>(stored, recordedPlatform, BackupZip.InfoVersion(entries, AhoyDtuKind.Version), settings);
    }

    public override async Task<DeviceProbe> ProbeAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        using var document = JsonRead.Object(await _kind.SystemAsync(access, cancellationToken), out _)!;
        var root = document.RootElement;
        return new DeviceProbe(AhoyDtuKind.Version(root)) { Uptime = AhoyDtuKind.Uptime(root) };
    }

    public override async Task UploadAsync(DeviceAccess access, RestoreImage<byte[]> image, DeviceProbe before, Func<CancellationToken, Task> restarted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var settings = image.Parsed;
        var answer = await _http.PostAsync(access.Url("/upload"), () => FileSet.Form("upload", "settings.json", settings), null, _options.RequestTimeout, 64 * 1024, cancellationToken);
        var text = Encoding.UTF8.GetString(answer.Body);
        if (text.Contains("Upload: failed", StringComparison.OrdinalIgnoreCase))
        {
            throw DeviceException.Of(FailureKind.RestoreRejected, "the device did not take settings.json (\"Upload: failed\"); it restarts with its settings unchanged");
        }

        if (!answer.IsOk)
        {
            throw DeviceException.Of(FailureKind.RestoreRejected, $"the device answered the upload with HTTP {answer.StatusCode}; nothing was changed");
        }

        if (!text.Contains("Upload: success", StringComparison.OrdinalIgnoreCase))
        {
            throw DeviceException.Of(FailureKind.RestoreUnknown, $"the device answered the upload with \"{DeviceText.Shorten(text.Trim())}\", not \"Upload: success\"; check it, or restore the pre-restore backup");
        }
    }

    public override string? Differences(RestoreImage<byte[]> image, DownloadedBackup after)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(after);
        var now = BackupZip.Entry(BackupZip.Read(after.Content), "settings.json");

        // The export empties "pwd" (Wi-Fi, MQTT) but not "adm" or "ap_pwd"; keys a newer build adds by itself may differ.
        return JsonCompare.FirstMissing(image.Parsed, now, exact: false, ignore: ["wifi.pwd", "mqtt.pwd"]) is { } difference
            ? $"the device came back with other settings than the backup's ({difference})"
            : null;
    }
}
