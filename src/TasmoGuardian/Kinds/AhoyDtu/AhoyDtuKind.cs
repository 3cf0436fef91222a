using System.Text.Json;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.AhoyDtu;

/// <summary>
/// AhoyDTU: identified by <c>/api/system</c> (mac, device name, chip, uptime); backed up as a zip of settings.json (the
/// Setup page's export, <c>/get_setup</c>) and info.json, the system answer. The export blanks every password
/// ("pwd"), so a backup never holds the Wi-Fi, MQTT or admin password (research §4.4). A device protected by an admin
/// password is logged in first, as its web page does (<c>POST /login</c>).
/// </summary>
internal sealed class AhoyDtuKind : IDeviceKind
{
    public const string PasswordsNote = "AhoyDTU's export leaves out every password (Wi-Fi, MQTT, admin); a restore keeps the device's Wi-Fi password, the others must be typed again";

    private const int MaxBytes = 512 * 1024;

    private readonly DeviceHttp _http;
    private readonly GuardianOptions _options;
    private readonly TimeProvider _time;

    public AhoyDtuKind(DeviceHttp http, GuardianOptions options, TimeProvider time)
    {
        _http = http;
        _options = options;
        _time = time;
        Restore = new AhoyDtuRestore(this, http, options);
    }

    public DeviceType Type => DeviceType.AhoyDtu;

    public string OptionName => "ahoydtu";

    public string DisplayName => "AhoyDTU";

    public string DefaultUsername => "admin";

    public string? DefaultPassword => null;

    public string? PlatformOf(byte[] backup) => BackupZip.InfoPlatform(backup, "info.json", info => Parse(info).Platform);

    public IRestoreProtocol? Restore { get; }

    public string? NoRestoreReason => null;

    public async Task<DeviceObservation> IdentifyAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        return Parse(await SystemAsync(access, cancellationToken));
    }

    public async Task<DownloadedBackup> BackupAsync(Device device, DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var system = await SystemAsync(access, cancellationToken);
        var settings = PartCheck.JsonObject(
            await _http.GetAsync(access.Url("/get_setup"), null, _options.RequestTimeout, MaxBytes, cancellationToken),
            "/get_setup",
            passwordSent: false,
            "wifi",
            "inst");
        var zip = new BackupZip();
        zip.Add("info.json", system);
        zip.Add("settings.json", settings);
        var observation = Parse(system);
        return new DownloadedBackup(zip.ToArray(_time), "zip", observation.Version, observation.Platform) { Note = PasswordsNote };
    }

    /// <summary>The system answer, after logging in when a password is known (the device remembers the login per address).</summary>
    public async Task<byte[]> SystemAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        if (access.HasPassword)
        {
            var login = await _http.PostAsync(access.Url("/login"), () => new FormUrlEncodedContent([new("pwd", access.Password!)]), null, _options.RequestTimeout, 64 * 1024, cancellationToken);
            if (login.StatusCode >= 400)
            {
                throw DeviceException.Of(FailureKind.WrongPassword, $"the device refused the login (HTTP {login.StatusCode})");
            }
        }

        return PartCheck.JsonObject(
            await _http.GetAsync(access.Url("/api/system"), null, _options.RequestTimeout, MaxBytes, cancellationToken),
            "/api/system",
            passwordSent: false,
            "mac");
    }

    /// <summary>Reads <c>/api/system</c>: newer releases put the version and uptime in a nested "generic" object.</summary>
    public static DeviceObservation Parse(byte[] system)
    {
        using var document = JsonRead.Object(system, out var problem)
            ?? throw DeviceException.Of(FailureKind.InvalidJson, $"/api/system could not be read ({problem})");
        var root = document.RootElement;
        if (!Mac.TryParse(JsonRead.String(root, "mac"), out var mac))
        {
            throw DeviceException.Of(FailureKind.NotADump, "/api/system has no valid \"mac\": is this AhoyDTU?");
        }

        var generic = JsonRead.Child(root, "generic") ?? root;
        var name = DeviceText.CleanName(JsonRead.String(root, "device_name"));
        var chip = DeviceText.CleanModel(JsonRead.String(root, "chip_model") ?? JsonRead.String(generic, "esp_type"));
        return new DeviceObservation(mac, DeviceType.AhoyDtu)
        {
            Name = name,
            NameSource = name is null ? NameSource.Mac : NameSource.DeviceName,
            Version = Version(root),
            Hostname = DeviceText.CleanHostname(JsonRead.String(root, "hostname")),
            Model = "AhoyDTU",
            Platform = chip?.ToUpperInvariant(),
        };
    }

    public static string? Version(JsonElement root) =>
        DeviceText.CleanVersion(JsonRead.String(root, "version") ?? (JsonRead.Child(root, "generic") is { } generic ? JsonRead.String(generic, "version") : null));

    public static TimeSpan? Uptime(JsonElement root)
    {
        var generic = JsonRead.Child(root, "generic") ?? root;
        return JsonRead.Int64(generic, "ts_uptime") is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
    }

}
