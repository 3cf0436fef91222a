using System.Text.Json;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.AhoyDtu;

/// <summary>
/// AhoyDTU: identified by <c>/api/system</c>, flat up to 0.8.133 (a top-level "mac", "hostname", "version") and nested
/// from 0.8.134 on ("network.mac", "generic.host", "generic.version"); backed up as a zip of settings.json (the Setup
/// page's export, <c>/get_setup</c>) and info.json, the system answer. The export empties the Wi-Fi and MQTT passwords
/// ("pwd") but keeps the admin and access-point passwords in clear (RestApi.h onDwnldSetup). No login: an admin
/// password guards only the HTML pages, never /api, /get_setup or /upload, and the device lets one address in at a
/// time, so logging in would sign the user's own browser out.
/// </summary>
internal sealed class AhoyDtuKind : IDeviceKind
{
    public const string PasswordsNote = "AhoyDTU's export leaves out the Wi-Fi and MQTT passwords (the admin and access-point passwords stay in it, in clear); a restore keeps the device's Wi-Fi password, the MQTT password must be typed again";

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

    public IBackupComparer Changes => AhoyDtuChanges.Comparer;

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

    /// <summary>The system answer; it needs no login, whatever the device's admin password.</summary>
    public async Task<byte[]> SystemAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        return PartCheck.JsonObject(
            await _http.GetAsync(access.Url("/api/system"), null, _options.RequestTimeout, MaxBytes, cancellationToken),
            "/api/system",
            passwordSent: false);
    }

    /// <summary>
    /// Reads <c>/api/system</c> in either shape. The flat "mac" is always the Wi-Fi MAC; the nested "network.mac" is the
    /// interface's the device is on, which for an ETHERNET build on its W5500 is that chip's (the efuse MAC with the
    /// two low bits of the last byte set, AhoyEthernetSpi.h). Nothing in the answer tells the Wi-Fi MAC then, so such
    /// a device moving between Wi-Fi and cable is seen as two.
    /// </summary>
    public static DeviceObservation Parse(byte[] system)
    {
        using var document = JsonRead.Object(system, out var problem)
            ?? throw DeviceException.Of(FailureKind.InvalidJson, $"/api/system could not be read ({problem})");
        var root = document.RootElement;
        var network = JsonRead.Child(root, "network");
        if (!Mac.TryParse(JsonRead.String(root, "mac") ?? (network is { } n ? JsonRead.String(n, "mac") : null), out var mac))
        {
            throw DeviceException.Of(FailureKind.NotADump, "/api/system has no MAC at \"mac\" or \"network.mac\"");
        }

        var generic = JsonRead.Child(root, "generic") ?? root;
        var name = DeviceText.CleanName(JsonRead.String(root, "device_name"));
        var chip = DeviceText.CleanModel(JsonRead.String(generic, "esp_type"));
        return new DeviceObservation(mac, DeviceType.AhoyDtu)
        {
            Name = name,
            NameSource = name is null ? NameSource.Mac : NameSource.DeviceName,
            Version = Version(root),
            Ip = network is { } net ? DeviceText.CleanIp(JsonRead.String(net, "ip")) : null,
            Hostname = DeviceText.CleanHostname(JsonRead.String(root, "hostname") ?? JsonRead.String(generic, "host")),
            Model = "AhoyDTU",
            Platform = chip?.ToUpperInvariant(),
        };
    }

    /// <summary>"%d.%d.%d" of the firmware's version macros (app.cpp): already the contract's form; the git hash is a key of its own ("build").</summary>
    public static string? Version(JsonElement root) =>
        DeviceText.CleanVersion(JsonRead.String(root, "version") ?? (JsonRead.Child(root, "generic") is { } generic ? JsonRead.String(generic, "version") : null));

    public static TimeSpan? Uptime(JsonElement root)
    {
        var generic = JsonRead.Child(root, "generic") ?? root;
        return JsonRead.Int64(generic, "ts_uptime") is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
    }

}
