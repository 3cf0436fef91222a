using System.Globalization;
using System.Net.Http.Headers;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>
/// Tasmota's web restore (research §1, §6.2): <c>GET /rs</c> arms the device for a settings upload (a device-wide
/// flag, so nothing else may be sent to it in between), then <c>POST /u2</c> sends the dump as the web page does, with
/// Basic auth and the Referer. The answer page, not the HTTP status, says whether it was taken; on success the
/// device restarts by itself. The probe is <c>Status 0</c>: firmware version, BootCount (kept by the device, never
/// taken from the file, so it shows the restart), and the web server mode.
/// </summary>
internal sealed class TasmotaRestore : RestoreProtocol<TasmotaSettings>
{
    private const int MaxPageBytes = 256 * 1024;
    private static readonly TimeSpan UploadTimeout = TimeSpan.FromSeconds(30);

    private readonly DeviceHttp _http;
    private readonly GuardianOptions _options;
    private readonly TasmotaUserFiles _userFiles;

    public TasmotaRestore(DeviceHttp http, GuardianOptions options, TasmotaUserFiles userFiles)
    {
        _http = http;
        _options = options;
        _userFiles = userFiles;
    }

    public override RestoreImage<TasmotaSettings> Open(byte[] stored, string? recordedPlatform)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var validation = TasmotaDump.Validate(stored);
        if (validation.Failure is { } failure)
        {
            throw DeviceException.Of(failure.Kind, $"the stored backup does not pass the checks: {failure.Reason}");
        }

        var settings = TasmotaSettings.Read(stored);
        if (settings.Drivers.FirstOrDefault(d => !d.ChecksumValid) is { } damaged)
        {
            throw DeviceException.Of(FailureKind.BadChecksum, $"the stored backup's driver settings {damaged.Name} have a bad checksum");
        }

        return new RestoreImage<TasmotaSettings>(stored, validation.Platform, validation.Version, settings);
    }

    public override async Task<DeviceProbe> ProbeAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var answer = await TasmotaStatus.AskAsync(_http, access, _options, cancellationToken);
        if (WebPage.LooksLikeHtml(answer.Body))
        {
            throw UserMode();
        }

        using var document = JsonRead.Object(answer.Body, out var problem)
            ?? throw DeviceException.Of(FailureKind.InvalidJson, $"the device's status is not readable ({problem})");
        var root = document.RootElement;
        if (JsonRead.Child(root, "StatusNET") is { } network && JsonRead.Int64(network, "Webserver") == 1)
        {
            throw UserMode();
        }

        var parameters = JsonRead.Child(root, "StatusPRM");
        var firmware = JsonRead.Child(root, "StatusFWR");
        return new DeviceProbe(firmware is { } f ? DeviceText.CleanVersion(JsonRead.String(f, "Version")) : null)
        {
            BootCount = parameters is { } p ? JsonRead.Int64(p, "BootCount") : null,
            Uptime = parameters is { } q ? ParseUptime(JsonRead.String(q, "Uptime")) : null,
        };
    }

    public override string? Refuses(RestoreImage<TasmotaSettings> image, DownloadedBackup current)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(current);
        var backup = image.Parsed;
        var device = TasmotaSettings.Read(current.Content);
        if (image.Files is { } files && FilesRefused(files, current) is { } filesReason)
        {
            return filesReason;
        }

        // The firmware writes driver files even when it rejects the main settings (research §1.4): a backup whose
        // driver files this device does not keep is refused here, before anything is sent.
        foreach (var driver in backup.Drivers)
        {
            var own = device.Drivers.FirstOrDefault(d => d.Name == driver.Name);
            if (own is null)
            {
                return device.Framed
                    ? $"the backup holds driver settings ({driver.Name}) this device does not keep; its firmware has other drivers"
                    : $"the backup holds driver settings ({driver.Name}) and this device's firmware keeps none";
            }

            if (own.Size != driver.Size)
            {
                return $"the backup's driver settings {driver.Name} ({driver.Size} bytes) do not fit this device's ({own.Size} bytes): the firmware differs";
            }
        }

        return null;
    }

    public override async Task UploadAsync(DeviceAccess access, RestoreImage<TasmotaSettings> image, DeviceProbe before, Func<CancellationToken, Task> restarted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(image);

        // The user files go first: they need no restart, and the one the settings bring runs the restored scripts.
        if (image.Files is { } files)
        {
            await _userFiles.UploadAsync(access, files, cancellationToken);
        }

        var arm = DeviceHttp.RequireOk(
            await _http.GetAsync(access.Url("/rs"), access, _options.RequestTimeout, MaxPageBytes, cancellationToken),
            "/rs",
            access.HasPassword);
        if (!System.Text.Encoding.UTF8.GetString(arm.Body).Contains("action='u2", StringComparison.Ordinal))
        {
            // Without the restore form (HTTP_FORM_RST_UPG "<form method='post' action='u2?fsz=' …") this is the main
            // page: user mode, where every privileged page answers with it. A bare "u2" is not enough: on ESP32 every
            // page's head script names the field t.form['u2'] (HTTP_HEAD_LAST_SCRIPT32, since a4c71c165, 2022), the main page too.
            throw UserMode();
        }

        HttpAnswer answer;
        try
        {
            answer = await _http.PostAsync(
                access.Url($"/u2?fsz={image.Content.Length.ToString(CultureInfo.InvariantCulture)}"),
                () => Multipart(image.Content),
                access,
                UploadTimeout,
                MaxPageBytes,
                cancellationToken);
        }
        catch (DeviceException ex) when (ex.Failure.Kind is FailureKind.EmptyReply or FailureKind.Truncated or FailureKind.Timeout)
        {
            // The firmware takes the body before it checks access (research §1.2): with no answer, the new settings may
            // sit in its memory, unsaved, without a restart.
            throw DeviceException.Of(FailureKind.RestoreUnknown, $"the device gave no answer to the upload ({ex.Failure.Reason}); it may hold the new settings unsaved: check it, or restore the pre-restore backup");
        }

        DeviceHttp.RequireOk(answer, "/u2", access.HasPassword);
        var (verdict, code, text) = TasmotaUploadAnswer.Read(answer.Body);
        switch (verdict)
        {
            case TasmotaUploadAnswer.Verdict.Accepted:
                return;
            case TasmotaUploadAnswer.Verdict.Rejected:
                throw DeviceException.Of(FailureKind.RestoreRejected, TasmotaUploadAnswer.Explain(code, text));
            default:
                throw DeviceException.Of(FailureKind.RestoreUnknown, "the device answered the upload with a page that says neither success nor failure; check it, or restore the pre-restore backup");
        }
    }

    public override string? Differences(RestoreImage<TasmotaSettings> image, DownloadedBackup after)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(after);
        var restored = image.Parsed;
        var now = TasmotaSettings.Read(after.Content);
        if (restored.Version == now.Version)
        {
            var differing = TasmotaSettings.DifferingFields(restored.Block, now.Block);
            if (differing.Count > 0)
            {
                return $"the device came back with other settings than the backup's (they differ at {string.Join(", ", differing)})";
            }
        }
        else
        {
            // The firmware migrated an older layout at boot: the bytes move, the user's texts stay.
            var missing = TasmotaSettings.Texts(restored.Block).Except(TasmotaSettings.Texts(now.Block)).Count();
            if (missing > 0)
            {
                return $"the device came back without {missing} of the backup's texts (names, topics, Wi-Fi or MQTT settings, rules)";
            }
        }

        foreach (var driver in restored.Drivers)
        {
            if (now.Drivers.All(d => d.Name != driver.Name))
            {
                return $"the device came back without the driver settings {driver.Name}";
            }
        }

        return image.Files is { } files ? TasmotaUserFiles.Differences(files, after.Files is { } zip ? BackupZip.Read(zip) : null) : null;
    }

    private static string? FilesRefused(IReadOnlyDictionary<string, byte[]> files, DownloadedBackup current)
    {
        if (!TasmotaUserFiles.Applies(current.Version))
        {
            return $"the backup holds user files (Berry scripts), which are restored on firmware {TasmotaUserFiles.FirstVersion} and later; this device runs {current.Version ?? "an unknown version"}";
        }

        var missing = TasmotaUserFiles.MissingFolders(files, current.Files is { } zip ? BackupZip.Read(zip) : null);
        return missing.Count > 0
            ? $"the backup holds user files in {string.Join(", ", missing)}, a folder this device does not have; create it in the device's file manager first"
            : null;
    }

    /// <summary>Tasmota's uptime, "1T07:25:12" (days T hours:minutes:seconds); older firmware sends hours as a number.</summary>
    public static TimeSpan? ParseUptime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var t = text.IndexOf('T', StringComparison.Ordinal);
        var days = t > 0 && int.TryParse(text.AsSpan(0, t), NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : 0;
        return TimeSpan.TryParseExact(text[(t + 1)..], @"hh\:mm\:ss", CultureInfo.InvariantCulture, out var time)
            ? TimeSpan.FromDays(days) + time
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var hours) ? TimeSpan.FromHours(hours) : null;
    }

    private static DeviceException UserMode() =>
        DeviceException.Of(FailureKind.UserMode, "the device's web server is in user mode (WebServer 1), which allows no restore; set WebServer 2 on it");

    private static MultipartFormDataContent Multipart(byte[] content)
    {
        // The web page's form: one part named "u2" with a file name; the firmware only needs the name to be non-empty.
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var form = new MultipartFormDataContent { { file, "u2", "tasmo_guardian_restore.dmp" } };
        return form;
    }
}
