using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>
/// Tasmota over its web server: identified by <c>/cm?cmnd=Status 0</c>, backed up by <c>/dl</c>, which is accepted
/// only if <see cref="TasmotaDump"/> does, and by its user files (<see cref="TasmotaUserFiles"/>); restored by <see cref="TasmotaRestore"/>. Found by itself over MQTT by
/// <see cref="TasmotaInventory"/>.
/// </summary>
internal sealed class TasmotaKind : IDeviceKind
{
    // Settings (4 KiB) plus driver files of file-system builds stay far below this.
    public const int MaxDumpBytes = 256 * 1024;

    private readonly DeviceHttp _http;
    private readonly GuardianOptions _options;

    private readonly TasmotaUserFiles _userFiles;

    public TasmotaKind(DeviceHttp http, GuardianOptions options, TimeProvider time)
    {
        _http = http;
        _options = options;
        _userFiles = new TasmotaUserFiles(http, options, time);
        Restore = new TasmotaRestore(http, options, _userFiles);
    }

    public string? PlatformOf(byte[] backup) => TasmotaDump.Validate(backup) is { Failure: null } validation ? validation.Platform : null;

    public IBackupComparer Changes => TasmotaChanges.Instance;

    public IRestoreProtocol? Restore { get; }

    public string? NoRestoreReason => null;

    public string? DefaultPassword => _options.TasmotaPassword;

    public DeviceType Type => DeviceType.Tasmota;

    public string OptionName => "tasmota";

    public string DisplayName => "Tasmota";

    public string DefaultUsername => _options.TasmotaUsername;

    public async Task<DeviceObservation> IdentifyAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);

        var answer = await TasmotaStatus.AskAsync(_http, access, _options, cancellationToken);
        var report = TasmotaMessageParser.Parse("STATUS0", answer.Body, out var problem);

        // Over HTTP a 9.x/10.x device with Ethernet up tells only its Ethernet port's MAC, so that is its id here.
        if ((report?.Mac ?? report?.EthernetMac) is not { } mac)
        {
            throw DeviceException.Of(FailureKind.NotADump, NoMacReason(answer.Body, problem));
        }

        return report!.ToObservation(mac);
    }

    /// <summary>What was missing and where it was looked for, with the device's own warning when it sent one instead.</summary>
    private static string NoMacReason(byte[] body, string? problem)
    {
        var reason = "/cm?cmnd=Status 0 has no MAC at \"StatusNET.Mac\"";
        using var document = JsonRead.Object(body, out _);

        // 9.2.0 answers {"WARNING":"Enable weblog 2 if response expected"} while WebLog is below 2 (xdrv_01_webserver.ino @0489d3fc:3050).
        if (document is not null && JsonRead.String(document.RootElement, "WARNING") is { } warning)
        {
            return $"{reason}: the device answered \"{DeviceText.Shorten(warning)}\"" + (warning.Contains("weblog", StringComparison.OrdinalIgnoreCase) ? " (firmware 9.2 answers /cm only with WebLog 2 or more)" : string.Empty);
        }

        return problem is null ? reason : $"{reason} ({problem})";
    }

    public async Task<DownloadedBackup> BackupAsync(Device device, DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var answer = DeviceHttp.RequireOk(
            await _http.GetAsync(access.Url("/dl"), access, _options.RequestTimeout, MaxDumpBytes, cancellationToken),
            "/dl",
            access.HasPassword);

        // The bytes decide, not the Content-Type header: firmware in user mode sends its main page as 200 text/html,
        // and a proxy or a broken build may label things wrongly either way.
        var validation = TasmotaDump.Validate(answer.Body);
        if (validation.Failure is { } failure)
        {
            throw new DeviceException(failure);
        }

        // Berry scripts and other files on the file system are not in the dump; firmware from 14.6 on is asked for them.
        var files = TasmotaUserFiles.Applies(validation.Version) ? await _userFiles.DownloadAsync(access, cancellationToken) : null;
        return new DownloadedBackup(answer.Body, "dmp", validation.Version, validation.Platform) { Files = files };
    }
}
