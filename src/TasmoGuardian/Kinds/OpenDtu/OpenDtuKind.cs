using System.Text.Json;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Mqtt;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.OpenDtu;

/// <summary>
/// OpenDTU: identified by <c>/api/system/status</c> (name, version, chip) and <c>/api/network/status</c> (the MAC); backed
/// up as a zip of every file the device lists (config.json with its secrets in clear, pin_mapping.json, language packs)
/// and info.json, the status answer. Reads always need the admin password (user admin, factory password openDTU42).
/// The id is the chip's efuse MAC, which is its Wi-Fi MAC, also while it is on Ethernet (see <see cref="StableMac"/>).
/// </summary>
internal sealed class OpenDtuKind : IDeviceKind
{
    public const string FactoryPassword = "openDTU42";

    private readonly OpenDtuApi _api;
    private readonly TimeProvider _time;

    public OpenDtuKind(DeviceHttp http, GuardianOptions options, TimeProvider time)
    {
        _api = new OpenDtuApi(http, options);
        _time = time;
        Restore = new OpenDtuRestore(_api);
    }

    public DeviceType Type => DeviceType.OpenDtu;

    public string OptionName => "opendtu";

    public string DisplayName => "OpenDTU";

    public string DefaultUsername => "admin";

    /// <summary>The firmware's own default: a device whose password was never changed still answers.</summary>
    public string? DefaultPassword => FactoryPassword;

    public string? PlatformOf(byte[] backup) => BackupZip.InfoPlatform(backup, "info.json", InfoPlatform);

    public IBackupComparer Changes => OpenDtuChanges.Comparer;

    public IRestoreProtocol? Restore { get; }

    public string? NoRestoreReason => null;

    public async Task<DeviceObservation> IdentifyAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var status = await _api.GetJsonAsync(access, "/api/system/status", cancellationToken, "hostname");
        var network = await _api.GetJsonAsync(access, "/api/network/status", cancellationToken);
        return Parse(status, network);
    }

    public async Task<DownloadedBackup> BackupAsync(Device device, DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var status = await _api.GetJsonAsync(access, "/api/system/status", cancellationToken, "hostname");
        var (route, files) = await _api.ListAsync(access, cancellationToken);
        var zip = new BackupZip();
        zip.Add("info.json", status);
        long total = 0;
        foreach (var file in files)
        {
            var content = await _api.GetFileAsync(access, route, file, cancellationToken);
            total = FileSet.AddToTotal(total, content);

            zip.Add(file.Path, content);
        }

        if (!zip.Names.Contains("config.json"))
        {
            throw DeviceException.Of(FailureKind.NotADump, "the device lists no config.json: it has no configuration to back up, or this is not OpenDTU");
        }

        using var document = JsonRead.Object(status, out _)!;
        var root = document.RootElement;
        return new DownloadedBackup(zip.ToArray(_time), "zip", OpenDtuApi.Version(root), Platform(root));
    }

    /// <summary>The address in OpenDTU's retained <c>&lt;prefix&gt;/dtu/ip</c> (default prefix "solar/"; research §4.3); null when it is none.</summary>
    public static string? AnnouncedIp(MqttMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return DeviceText.CleanIp(message.PayloadAsString().Trim());
    }

    /// <summary>Reads the two status answers; a device without a MAC in its network status is not OpenDTU.</summary>
    public static DeviceObservation Parse(byte[] status, byte[] network)
    {
        using var statusDocument = JsonRead.Object(status, out var problem)
            ?? throw DeviceException.Of(FailureKind.InvalidJson, $"/api/system/status could not be read ({problem})");
        using var networkDocument = JsonRead.Object(network, out problem)
            ?? throw DeviceException.Of(FailureKind.InvalidJson, $"/api/network/status could not be read ({problem})");
        var root = statusDocument.RootElement;
        var net = networkDocument.RootElement;
        if (StableMac(net) is not { } mac)
        {
            throw DeviceException.Of(FailureKind.NotADump, "/api/network/status has no MAC at \"network_mac\"");
        }

        var hostname = DeviceText.CleanHostname(JsonRead.String(net, "network_hostname") ?? JsonRead.String(root, "hostname"));
        var name = DeviceText.CleanName(JsonRead.String(root, "hostname"));
        var board = DeviceText.CleanModel(JsonRead.String(root, "pioenv"));
        return new DeviceObservation(mac, DeviceType.OpenDtu)
        {
            Name = name,
            NameSource = name is null ? NameSource.Mac : NameSource.DeviceName,
            Version = OpenDtuApi.Version(root),
            Ip = DeviceText.CleanIp(JsonRead.String(net, "network_ip")),
            Hostname = hostname,
            Model = board is null ? "OpenDTU" : $"OpenDTU {board}",
            Platform = Platform(root),
        };
    }

    /// <summary>
    /// The device's id. "network_mac" is the active interface's MAC (NetworkSettings.cpp macAddress): on Wi-Fi the
    /// efuse MAC, on Ethernet (internal or W5500) what ESP-IDF derives for Ethernet from it, which differs in the last
    /// byte (+3) and, on chips with two universal MACs, in the locally-administered bit of the first. The efuse MAC's
    /// last three bytes are the chip id, which "ap_ssid" carries in decimal ("OpenDTU-521748", getApName) in both
    /// modes; the first three are the Ethernet MAC's with that bit cleared, as a universal MAC has it. So a device
    /// moving between Wi-Fi and cable keeps one id. When the two do not fit together (another AP name, a changed base
    /// MAC), "network_mac" is taken as it is.
    /// </summary>
    public static Mac? StableMac(JsonElement network)
    {
        if (!Mac.TryParse(JsonRead.String(network, "network_mac"), out var active))
        {
            return null;
        }

        var ssid = JsonRead.String(network, "ap_ssid");
        var dash = ssid?.LastIndexOf('-') ?? -1;
        if (dash < 0 || !uint.TryParse(ssid.AsSpan(dash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var chipId) || chipId > 0xFFFFFF)
        {
            return active;
        }

        var hex = active.ToString();
        var chip = chipId.ToString("X6", System.Globalization.CultureInfo.InvariantCulture);
        if (hex[6..] == chip || hex[6..10] != chip[..4])
        {
            return active;
        }

        var first = (byte)(Convert.ToByte(hex[..2], 16) & ~0x02);
        return Mac.Parse(first.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + hex[2..6] + chip);
    }

    private static string? InfoPlatform(byte[] status)
    {
        using var document = JsonRead.Object(status, out _);
        return document is null ? null : Platform(document.RootElement);
    }

    private static string? Platform(JsonElement status) => DeviceText.CleanModel(JsonRead.String(status, "chipmodel"))?.ToUpperInvariant();
}
