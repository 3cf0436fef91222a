using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
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
        if (report?.Mac is not { } mac)
        {
            throw DeviceException.Of(FailureKind.NotADump, problem ?? "the answer has no MAC (StatusNET.Mac); is this a Tasmota device?");
        }

        return report.ToObservation(mac);
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
