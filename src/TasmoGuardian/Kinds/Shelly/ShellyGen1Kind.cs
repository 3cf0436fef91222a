using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.Shelly;

/// <summary>
/// Shelly Gen1, over its HTTP API with Basic auth (research §4.1): identified by <c>/shelly</c> and <c>/settings</c>,
/// backed up as a zip of <c>settings.json</c> (<c>/settings</c>), <c>settings_actions.json</c> (<c>/settings/actions</c>,
/// the URL actions HomeRecall misses) and <c>shelly.json</c>. Gen1 settings hold no passwords, and a restore is a
/// model-specific series of calls: not offered (Gen2 and later are restored, <see cref="ShellyRestore"/>).
/// </summary>
internal sealed class ShellyGen1Kind : IDeviceKind
{
    private const int MaxBytes = 512 * 1024;

    private readonly DeviceHttp _http;
    private readonly GuardianOptions _options;
    private readonly TimeProvider _time;

    public ShellyGen1Kind(DeviceHttp http, GuardianOptions options, TimeProvider time)
    {
        _http = http;
        _options = options;
        _time = time;
    }

    public DeviceType Type => DeviceType.ShellyGen1;

    public string OptionName => "shelly";

    public string DisplayName => "Shelly";

    public string DefaultUsername => "admin";

    public string? DefaultPassword => null;

    // Shelly backups record no chip: a restore onto another device is refused for Shelly anyway.
    public string? PlatformOf(byte[] backup) => null;

    public IBackupComparer Changes => ShellyChanges.Gen1;

    public IRestoreProtocol? Restore => null;

    // The worker puts "Shelly devices cannot be restored by Tasmo Guardian: " before it, and Gen2 and later can be.
    public string? NoRestoreReason => "only Gen2 and later Shellys are, and this one is a Gen1, whose restore would be a series of model-specific /settings calls; the backup's settings.json shows every setting to make again in the device's web page";

    public async Task<DeviceObservation> IdentifyAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var info = await ShellyProbe.AskAsync(_http, access, _options.RequestTimeout, cancellationToken);
        var observation = info.ToObservation();
        if (info.Generation >= 2)
        {
            return observation;
        }

        // The name lives in /settings, which needs the password when the device has one. Its "wifi_sta.ip" is the
        // address the device was given when it has a static one (null with DHCP, v1.10 to v1.14).
        var settings = await _http.GetAsync(access.Url("/settings"), access, _options.RequestTimeout, MaxBytes, cancellationToken);
        if (settings.IsOk && JsonRead.Object(settings.Body, out _) is { } document)
        {
            using (document)
            {
                var root = document.RootElement;
                var name = DeviceText.CleanName(JsonRead.String(root, "name"))
                    ?? (JsonRead.Child(root, "device") is { } device ? DeviceText.CleanName(JsonRead.String(device, "hostname")) : null);
                if (name is not null)
                {
                    observation = observation with { Name = name, NameSource = NameSource.DeviceName };
                }

                if (JsonRead.Child(root, "wifi_sta") is { } station && DeviceText.CleanIp(JsonRead.String(station, "ip")) is { } ip)
                {
                    observation = observation with { Ip = ip };
                }
            }
        }

        return observation;
    }

    public async Task<DownloadedBackup> BackupAsync(Device device, DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var info = await ShellyProbe.AskRawAsync(_http, access, _options.RequestTimeout, cancellationToken);
        var zip = new BackupZip();
        zip.Add("settings.json", PartCheck.JsonObject(await GetAsync(access, "/settings", cancellationToken), "/settings", access.HasPassword, "device"));
        zip.Add("settings_actions.json", PartCheck.JsonObject(await GetAsync(access, "/settings/actions", cancellationToken), "/settings/actions", access.HasPassword, "actions"));
        zip.Add("shelly.json", info.Body);
        return new DownloadedBackup(zip.ToArray(_time), "zip", info.Info.Version);
    }

    private Task<HttpAnswer> GetAsync(DeviceAccess access, string path, CancellationToken cancellationToken) =>
        _http.GetAsync(access.Url($"{path}"), access, _options.RequestTimeout, MaxBytes, cancellationToken);
}
