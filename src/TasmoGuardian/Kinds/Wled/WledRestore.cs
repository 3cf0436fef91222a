using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.Wled;

/// <summary>
/// WLED's restore, as its Security page does it (research §2.2, §6.3): <c>POST /upload</c> of presets.json, then of
/// cfg.json, the multipart file name being the path written. A settings PIN is unlocked first with
/// <c>{"pin":…}</c> on /json/state. 0.14 and later restart by themselves after cfg.json; 0.13 is told to with
/// <c>{"rb":true}</c>. The stored bytes are sent as they are. The version compared is the build number (<c>vid</c>),
/// which cfg.json and /json/info both carry.
/// </summary>
internal sealed class WledRestore : RestoreProtocol<WledRestore.WledFiles>
{
    private const int MaxAnswerBytes = 64 * 1024;

    private readonly DeviceHttp _http;
    private readonly GuardianOptions _options;

    public WledRestore(DeviceHttp http, GuardianOptions options)
    {
        _http = http;
        _options = options;
    }

    public override RestoreImage<WledRestore.WledFiles> Open(byte[] stored, string? recordedPlatform)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var (config, presets) = ReadZip(stored);
        using var document = JsonRead.Object(config, out var problem)
            ?? throw DeviceException.Of(FailureKind.InvalidJson, $"the stored cfg.json is not a JSON object ({problem})");
        if (!document.RootElement.TryGetProperty("nw", out _))
        {
            throw DeviceException.Of(FailureKind.NotADump, "the stored cfg.json has no network settings (\"nw\"): it is not a WLED configuration");
        }

        using (var presetDocument = JsonRead.Object(presets, out var presetProblem))
        {
            if (presetDocument is null)
            {
                throw DeviceException.Of(FailureKind.InvalidJson, $"the stored presets.json is not a JSON object ({presetProblem})");
            }
        }

        var build = JsonRead.Int64(document.RootElement, "vid");
        return new RestoreImage<WledRestore.WledFiles>(stored, recordedPlatform, build?.ToString(System.Globalization.CultureInfo.InvariantCulture), new WledFiles(config, presets));
    }

    public override async Task<DeviceProbe> ProbeAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var answer = DeviceHttp.RequireOk(
            await _http.GetAsync(access.Url("/json/info"), null, _options.RequestTimeout, MaxAnswerBytes * 4, cancellationToken),
            "/json/info",
            passwordSent: false);
        using var document = JsonRead.Object(answer.Body, out var problem)
            ?? throw DeviceException.Of(FailureKind.InvalidJson, $"the device's /json/info is not readable ({problem})");
        var root = document.RootElement;
        return new DeviceProbe(JsonRead.Int64(root, "vid")?.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            Uptime = JsonRead.Int64(root, "uptime") is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        };
    }

    public override async Task UploadAsync(DeviceAccess access, RestoreImage<WledRestore.WledFiles> image, DeviceProbe before, Func<CancellationToken, Task> restarted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(image);
        var files = image.Parsed;
        if (access.HasPassword)
        {
            // The settings PIN; the answer does not say whether it was right, the upload will.
            await StateAsync(access, PinJson(access.Password!), cancellationToken);
        }

        var presets = await UploadFileAsync(access, "/presets.json", files.Presets, cancellationToken);
        if (!presets.Text.StartsWith("File Uploaded", StringComparison.Ordinal))
        {
            throw DeviceException.Of(FailureKind.RestoreRejected, $"the device did not take presets.json (it answered \"{DeviceText.Shorten(presets.Text)}\"); nothing was changed");
        }

        var config = await UploadFileAsync(access, "/cfg.json", files.Config, cancellationToken, presetsWritten: true);
        if (config.Text.StartsWith("Config restore ok", StringComparison.Ordinal) || config.Text.StartsWith("Configuration restore successful", StringComparison.Ordinal))
        {
            return;
        }

        if (config.Text.StartsWith("File Uploaded", StringComparison.Ordinal))
        {
            // 0.13 writes the file and stays up; it reads cfg.json only at boot.
            await StateAsync(access, """{"rb":true}"""u8.ToArray(), cancellationToken);
            return;
        }

        throw DeviceException.Of(FailureKind.RestoreUnknown, $"the device answered cfg.json with \"{DeviceText.Shorten(config.Text)}\"; its presets are already restored: check it, or restore the pre-restore backup");
    }

    public override string? Differences(RestoreImage<WledRestore.WledFiles> image, DownloadedBackup after)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(after);
        var restored = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["cfg.json"] = image.Parsed.Config, ["presets.json"] = image.Parsed.Presets };

        // Usermods add their defaults to cfg.json at boot, and another build writes its own vid and rev: those may
        // differ. The presets are the user's alone and must come back exactly.
        return FileSet.FirstDifference(restored, BackupZip.Read(after.Content), jsonIgnore: ["vid", "rev"], exactJson: ["presets.json"]);
    }

    private static (byte[] Config, byte[] Presets) ReadZip(byte[] stored)
    {
        var entries = BackupZip.Read(stored);
        return (BackupZip.Entry(entries, "cfg.json"), BackupZip.Entry(entries, "presets.json"));
    }

    private async Task StateAsync(DeviceAccess access, byte[] json, CancellationToken cancellationToken)
    {
        DeviceHttp.RequireOk(
            await _http.PostAsync(access.Url("/json/state"), () => new ByteArrayContent(json) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }, null, _options.RequestTimeout, MaxAnswerBytes, cancellationToken),
            "/json/state",
            passwordSent: false);
    }

    private async Task<(int Status, string Text)> UploadFileAsync(DeviceAccess access, string path, byte[] content, CancellationToken cancellationToken, bool presetsWritten = false)
    {
        var answer = await _http.PostAsync(access.Url("/upload"), () => Multipart(path, content), null, _options.RequestTimeout, MaxAnswerBytes, cancellationToken);
        var text = Encoding.UTF8.GetString(answer.Body).Trim();
        var changed = presetsWritten ? "its presets are already restored: restore the pre-restore backup to undo them" : "nothing was changed";
        if (text.Contains("unlock OTA", StringComparison.OrdinalIgnoreCase))
        {
            throw DeviceException.Of(FailureKind.RestoreRefused, $"the device's OTA lock is on, which on WLED 0.13 also locks uploads; turn it off under Security & Updates ({changed})");
        }

        if (answer.StatusCode == 401 || text.Contains("unlock settings", StringComparison.OrdinalIgnoreCase))
        {
            throw DeviceException.Of(FailureKind.WrongPassword, access.HasPassword
                ? $"wrong settings PIN: the device refused the upload ({changed})"
                : $"the device's settings are locked with a PIN; set it as the device's password in the devices option ({changed})");
        }

        if (answer.StatusCode != 200)
        {
            throw DeviceException.Of(FailureKind.RestoreRejected, $"the device answered HTTP {answer.StatusCode} for {path} ({changed})");
        }

        return (answer.StatusCode, text);
    }

    private static byte[] PinJson(string pin)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("pin", pin);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static MultipartFormDataContent Multipart(string path, byte[] content)
    {
        // The file name is where WLED writes the file; 0.13 does not add the leading slash itself.
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new MultipartFormDataContent { { file, "data", path } };
    }

    /// <summary>The two files of a WLED backup, as stored.</summary>
    internal sealed record WledFiles(byte[] Config, byte[] Presets);
}
