using System.Globalization;
using System.Security.Cryptography;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.AiOnTheEdge;

/// <summary>
/// AI-on-the-Edge's restore, as its configuration page does it (research §4.5): the upload refuses to overwrite, so each
/// file is deleted (<c>POST /delete/&lt;path&gt;</c>; a file that is not there is no error) and sent again as the raw
/// body of <c>POST /upload/&lt;path&gt;?md5</c>. Firmware 16 answers with the MD5 of what it stored; older firmware
/// answers "File uploaded successfully" (200 for config.ini and the reference images, 303 See Other for every other
/// path, <c>server_file.cpp:748-786</c>), and the file is read back to compare. Images first, config.ini last. Then
/// <c>GET /reboot</c>. A restart shows as a new <c>/starttime</c>. wlan.ini is never deleted nor written: the
/// firmware's guard against deleting it compares "/wlan.ini" with "wlan.ini" and never holds.
/// </summary>
internal sealed class AiOnTheEdgeRestore : RestoreProtocol<Dictionary<string, byte[]>>
{
    // An upload or delete without the MD5 answers 303 for every path but config.ini and the reference images.
    private static readonly int[] DoneStatuses = [200, 303];

    private readonly AiOnTheEdgeKind _kind;
    private readonly DeviceHttp _http;
    private readonly GuardianOptions _options;

    public AiOnTheEdgeRestore(AiOnTheEdgeKind kind, DeviceHttp http, GuardianOptions options)
    {
        _kind = kind;
        _http = http;
        _options = options;
    }

    public override RestoreImage<Dictionary<string, byte[]>> Open(byte[] stored, string? recordedPlatform)
    {
        var entries = BackupZip.Read(stored);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [AiOnTheEdgeKind.ConfigFile] = AiOnTheEdgeKind.CheckConfig(BackupZip.Entry(entries, AiOnTheEdgeKind.ConfigFile), "the stored config.ini"),
        };
        foreach (var (name, content) in entries.Where(e => e.Key.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase)))
        {
            files[FileSet.SafePath(name, "the stored backup")] = AiOnTheEdgeKind.CheckImage(content, "the stored " + name);
        }

        var version = BackupZip.InfoVersion(entries, info => AiOnTheEdgeKind.FirmwareVersion(JsonRead.String(info, "FirmwareVersion")));
        return new RestoreImage<Dictionary<string, byte[]>>(stored, recordedPlatform, version, files);
    }

    public override async Task<DeviceProbe> ProbeAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        var version = await _kind.TextAsync(access, "/info?type=FirmwareVersion", cancellationToken);
        var started = await _kind.TextAsync(access, "/starttime", cancellationToken);

        // "20261202-031500": the moment the web server started, which changes with every restart.
        var digits = new string([.. started.Where(char.IsAsciiDigit)]);
        return new DeviceProbe(AiOnTheEdgeKind.FirmwareVersion(version))
        {
            BootCount = digits.Length is > 0 and <= 18 ? long.Parse(digits, CultureInfo.InvariantCulture) : null,
        };
    }

    public override async Task UploadAsync(DeviceAccess access, RestoreImage<Dictionary<string, byte[]>> image, DeviceProbe before, Func<CancellationToken, Task> restarted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        await FileSet.UploadEachAsync(image.Parsed, AiOnTheEdgeKind.ConfigFile, (path, content, othersWritten, token) => PutAsync(access, path, content, othersWritten, token), null, cancellationToken);

        FileSet.RequireRebooting(await _http.GetAsync(access.Url("/reboot"), access, _options.RequestTimeout, 64 * 1024, cancellationToken), "/reboot", "the files are");
    }

    public override string? Differences(RestoreImage<Dictionary<string, byte[]>> image, DownloadedBackup after)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(after);
        return FileSet.FirstDifference(image.Parsed, BackupZip.Read(after.Content));
    }

    private async Task PutAsync(DeviceAccess access, string path, byte[] content, bool othersWritten, CancellationToken cancellationToken)
    {
        if (System.IO.Path.GetFileName(path).Equals("wlan.ini", StringComparison.OrdinalIgnoreCase))
        {
            throw DeviceException.Of(FailureKind.NotADump, "the stored backup holds wlan.ini, which is never written: it holds the device's Wi-Fi and web passwords");
        }

        var changed = FileSet.Changed(othersWritten);
        var deleted = await _http.PostAsync(access.Url("/delete/" + path), () => new ByteArrayContent([]), access, _options.RequestTimeout, 64 * 1024, cancellationToken);
        if (deleted.StatusCode == 401)
        {
            throw DeviceException.Of(FailureKind.WrongPassword, $"the device refused to replace {path}: wrong password ({changed})");
        }

        // A file that is not there cannot be deleted: the upload then creates it.
        var answer = await _http.PostAsync(access.Url($"/upload/{path}?md5"), () => new ByteArrayContent(content), access, _options.RequestTimeout, 64 * 1024, cancellationToken);
        FileSet.RequireWritten(answer, path, othersWritten ? changed : changed + "; the old file may be deleted", DoneStatuses);

        var expected = Convert.ToHexStringLower(MD5.HashData(content));
        using var document = JsonRead.Object(answer.Body, out _);
        var stored = document is null ? null : JsonRead.String(document.RootElement, "md5");
        if (stored is null)
        {
            // Older firmware answers without the checksum: read the file back instead.
            var back = await _kind.GetFileAsync(access, path, missingAllowed: true, cancellationToken);
            stored = back is null ? "" : Convert.ToHexStringLower(MD5.HashData(back));
        }

        if (!string.Equals(stored, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw DeviceException.Of(FailureKind.RestoreRejected, $"the device stored {path} with another checksum than the backup's (MD5 {DeviceText.Shorten(stored, 32)}, not {expected}); the SD card may be failing");
        }
    }
}
