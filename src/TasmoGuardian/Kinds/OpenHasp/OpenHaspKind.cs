using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.OpenHasp;

/// <summary>
/// openHASP (research §4.7): identified by <c>/api/info/</c>, whose keys are in the firmware's language, and the node
/// name in config.json; backed up as a zip of every file of its file system (config.json, pages.jsonl, boot.cmd, fonts,
/// images) and info.json. The plate's MAC is the one in the "Wifi" block that is not its first key, "BSSID": that is
/// the access point's MAC, the same for every plate on it (openHASP <c>src/sys/net/hasp_wifi.cpp:615-656</c>).
/// Builds for Ethernet have no network block in <c>/api/info/</c> at all (<c>hasp_http.cpp:592</c> tests a misspelt
/// <c>HASP_USE_EHTERNET</c>); such a plate is identified by the "hwid" of its MQTT discovery message
/// (<see cref="OpenHaspAnnouncements"/>), which its backup keeps as discovery.json. openHASP serves config.json with its
/// Wi-Fi, MQTT and web passwords masked ("********"), so no backup holds them (<see cref="PasswordNote"/>).
/// </summary>
internal sealed partial class OpenHaspKind : IDeviceKind
{
    public const string ConfigFile = "config.json";
    public const string InfoFile = "info.json";
    public const string DiscoveryFile = "discovery.json";
    public const string PasswordMask = "********";
    private const string WifiBlock = "Wifi";
    private const string AccessPointKey = "BSSID";
    private const int MaxAnswerBytes = 256 * 1024;

    // Before 0.7 a plate answers a written file with 302 to /config/hasp (v0.6.3 hasp_http.cpp:896-903), 0.7 with 200.
    private static readonly int[] WrittenStatuses = [200, 302];

    private readonly DeviceHttp _http;
    private readonly GuardianOptions _options;
    private readonly TimeProvider _time;

    public OpenHaspKind(DeviceHttp http, GuardianOptions options, TimeProvider time)
    {
        _http = http;
        _options = options;
        _time = time;
        Files = new EditFileSystem(http, options, "?download=true", servedRewritten: ConfigFile, writtenStatuses: WrittenStatuses);
        Restore = new OpenHaspRestore(this, http, options);
    }

    public DeviceType Type => DeviceType.OpenHasp;

    public string OptionName => "openhasp";

    public string DisplayName => "openHASP";

    public string DefaultUsername => "admin";

    public string? DefaultPassword => null;

    public string? PlatformOf(byte[] backup) => BackupZip.InfoPlatform(backup, InfoFile, PlatformOfInfo);

    public IBackupComparer Changes => OpenHaspChanges.Comparer;

    public IRestoreProtocol? Restore { get; }

    public string? NoRestoreReason => null;

    public EditFileSystem Files { get; }

    /// <summary>What the plates' MQTT discovery messages told (the MAC of an Ethernet build).</summary>
    public OpenHaspAnnouncements Announcements { get; } = new();

    public async Task<DeviceObservation> IdentifyAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var info = await InfoAsync(access, cancellationToken);
        byte[]? config = null;
        try
        {
            config = await GetJsonAsync(access, "/" + ConfigFile, cancellationToken);
        }
        catch (DeviceException)
        {
            // The node name is a nicety; the device is identified without it.
        }

        return Parse(info, config, Announcements.Find(access.Host)?.Payload);
    }

    public async Task<DownloadedBackup> BackupAsync(Device device, DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(access);
        var info = await InfoAsync(access, cancellationToken);
        using var document = JsonRead.Object(info, out _)!;
        var root = document.RootElement;

        // Older versions named plates after their access point's MAC, so such an entry reaches whichever plate is at its
        // address: neither its backup nor a restore's pre-restore backup may be taken from another plate.
        if ((OwnMac(root) ?? Announcements.Find(access.Host)?.Mac) is { } mac && mac != device.Mac)
        {
            throw DeviceException.Of(FailureKind.UnknownDevice, $"the plate at {access.Host} is {mac}, not {device.Mac}: another plate answers at this address (or this entry was named after the access point's MAC by an older version)");
        }

        var files = await Files.DownloadAllAsync(access, cancellationToken);
        if (!files.TryGetValue(ConfigFile, out var config))
        {
            throw DeviceException.Of(FailureKind.NotADump, "the device lists no config.json: is this openHASP?");
        }

        PartCheck.JsonObject(config, "/config.json");
        var zip = new BackupZip();
        zip.Add(InfoFile, info);

        // Without a MAC of its own in info.json, the message that told it is what says which plate the backup is of.
        if (OwnMac(root) is null && Announcements.Find(access.Host) is { } announced)
        {
            zip.Add(DiscoveryFile, announced.Payload);
        }

        foreach (var (path, content) in files.Where(f => f.Key is not (InfoFile or DiscoveryFile)))
        {
            zip.Add(path, content);
        }

        var version = Version(root);
        return new DownloadedBackup(zip.ToArray(_time), "zip", version, Platform(root)) { Note = PasswordNote(version) };
    }

    public Task<byte[]> InfoAsync(DeviceAccess access, CancellationToken cancellationToken) => GetJsonAsync(access, "/api/info/", cancellationToken);

    public async Task<byte[]> GetJsonAsync(DeviceAccess access, string path, CancellationToken cancellationToken) =>
        PartCheck.JsonObject(await _http.GetAsync(access.Url(path), access, _options.RequestTimeout, MaxAnswerBytes, cancellationToken), path, access.HasPassword);

    /// <summary>
    /// The answer of <c>/api/info/</c>; <paramref name="config"/> (config.json) gives the node name when known, and
    /// <paramref name="discovery"/> (the plate's <c>hasp/discovery/&lt;hwid&gt;</c> message) the MAC of a plate whose
    /// answer has no network block.
    /// </summary>
    public static DeviceObservation Parse(byte[] info, byte[]? config, byte[]? discovery = null)
    {
        using var document = JsonRead.Object(info, out var problem)
            ?? throw DeviceException.Of(FailureKind.InvalidJson, $"/api/info/ could not be read ({problem})");
        var root = document.RootElement;
        if (JsonRead.Child(root, "openHASP") is not { ValueKind: JsonValueKind.Object })
        {
            throw DeviceException.Of(FailureKind.NotADump, "/api/info/ has no \"openHASP\" block: is this openHASP?");
        }

        using var announced = discovery is null ? null : JsonRead.Object(discovery, out _);
        var mac = OwnMac(root) ?? AnnouncedMac(announced) ?? throw DeviceException.Of(FailureKind.NotADump, NoMacReason(root));

        string? node = null;
        if (config is not null && JsonRead.Object(config, out _) is { } configDocument)
        {
            using (configDocument)
            {
                node = JsonRead.Child(configDocument.RootElement, "mqtt") is { } mqtt ? DeviceText.CleanName(JsonRead.String(mqtt, "name")) : null;
            }
        }

        node ??= announced is null ? null : DeviceText.CleanName(JsonRead.String(announced.RootElement, "node"));
        return new DeviceObservation(mac, DeviceType.OpenHasp)
        {
            Name = node,
            NameSource = node is null ? NameSource.Mac : NameSource.DeviceName,
            Version = Version(root),
            Ip = WifiIp(root) ?? (announced is null ? null : AnnouncedIp(announced.RootElement)),
            Hostname = DeviceText.CleanHostname(node),
            Model = "openHASP",
            Platform = Platform(root),
        };
    }

    /// <summary>
    /// The plate's own MAC: in the "Wifi" block (named so in every language), the MAC-shaped value under a key that is
    /// not "BSSID", preferring the key that names a MAC ("MAC Address", "Adresse MAC", "Dirección MAC", …); null when
    /// the block or the value is missing.
    /// </summary>
    public static Mac? OwnMac(JsonElement info)
    {
        if (JsonRead.Child(info, WifiBlock) is not { ValueKind: JsonValueKind.Object } wifi)
        {
            return null;
        }

        Mac? named = null;
        Mac? any = null;
        foreach (var property in wifi.EnumerateObject())
        {
            if (property.Name.Equals(AccessPointKey, StringComparison.OrdinalIgnoreCase) || property.Value.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            var text = property.Value.GetString()!;
            if (MacShape().IsMatch(text) && Mac.TryParse(text, out var mac))
            {
                any = mac;
                if (named is null && property.Name.Contains("MAC", StringComparison.OrdinalIgnoreCase))
                {
                    named = mac;
                }
            }
        }

        return named ?? any;
    }

    /// <summary>The version in the "openHASP" block, "0.7.0-rc13 042fe05" (version, a space, the build's commit) → "0.7.0-rc13", whatever the firmware's language calls the key.</summary>
    public static string? Version(JsonElement info)
    {
        if (JsonRead.Child(info, "openHASP") is not { ValueKind: JsonValueKind.Object } block)
        {
            return null;
        }

        foreach (var property in block.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String
                && property.Value.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() is { } first
                && VersionShape().IsMatch(first))
            {
                return DeviceText.CleanTagVersion(first);
            }
        }

        return null;
    }

    /// <summary>
    /// Whether a plate of this version keeps its Wi-Fi, MQTT and web passwords in config.json itself: openHASP before
    /// 0.7 does (v0.6.3 <c>wifiGetConfig</c> writes the password into the file), 0.7 keeps them in NVS and writes the
    /// mask into the file (openHASP commit ca6a59ae "Store passwords in NVS instead of config.json"). An unknown
    /// version counts as the older kind: that is the one a masked config.json can harm.
    /// </summary>
    public static bool KeepsPasswordsInConfig(string? version)
    {
        var match = version is null ? null : MajorMinor().Match(version);
        if (match is not { Success: true })
        {
            return true;
        }

        var major = int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
        var minor = int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
        return major == 0 && minor < 7;
    }

    /// <summary>What a backup of a plate of <paramref name="version"/> leaves out, and what that means for a restore.</summary>
    public static string PasswordNote(string? version) => KeepsPasswordsInConfig(version)
        ? $"openHASP serves config.json with its Wi-Fi, MQTT and web passwords masked, so the backup has none; openHASP {version ?? "before 0.7"} keeps them in config.json, so a restore puts config.json back only while it is unchanged (update the plate to openHASP 0.7 to restore it whole)"
        : "openHASP serves config.json with its Wi-Fi, MQTT and web passwords masked, so the backup has none; openHASP 0.7 keeps them outside config.json, so a restore onto the same plate keeps the passwords it has";

    /// <summary>The MAC a stored backup tells: info.json's own, else the hwid of the discovery message kept with it.</summary>
    public static Mac? MacOf(IReadOnlyDictionary<string, byte[]> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.TryGetValue(InfoFile, out var info) && JsonRead.Object(info, out _) is { } document)
        {
            using (document)
            {
                if (OwnMac(document.RootElement) is { } mac)
                {
                    return mac;
                }
            }
        }

        using var announced = entries.TryGetValue(DiscoveryFile, out var discovery) ? JsonRead.Object(discovery, out _) : null;
        return AnnouncedMac(announced);
    }

    private static Mac? AnnouncedMac(JsonDocument? discovery) =>
        discovery is not null && Mac.TryParse(JsonRead.String(discovery.RootElement, "hwid"), out var mac) ? mac : null;

    private static string? AnnouncedIp(JsonElement discovery) =>
        System.Uri.TryCreate(JsonRead.String(discovery, "uri"), UriKind.Absolute, out var address) && address.Scheme == System.Uri.UriSchemeHttp ? DeviceText.CleanIp(address.Host) : null;

    private static string NoMacReason(JsonElement info) =>
        JsonRead.Child(info, WifiBlock) is { ValueKind: JsonValueKind.Object }
            ? "/api/info/ has no MAC at \"Wifi\".\"MAC Address\" (or that key in the firmware's language); \"BSSID\" there is the access point's and is never taken for the plate's"
            : "/api/info/ has no \"Wifi\" block, so no MAC (openHASP's Ethernet builds leave it out); such a plate is known by the hwid of its MQTT discovery message hasp/discovery/<hwid>, which has not come: turn on announce_discovery, and the plate's MQTT with the same broker";

    // The plate's address is the first IP address in the Wifi block; the gateway and DNS server follow it.
    private static string? WifiIp(JsonElement info)
    {
        if (JsonRead.Child(info, WifiBlock) is not { ValueKind: JsonValueKind.Object } wifi)
        {
            return null;
        }

        foreach (var property in wifi.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String))
        {
            if (Ipv4Shape().IsMatch(property.Value.GetString()!) && DeviceText.CleanIp(property.Value.GetString()) is { } ip)
            {
                return ip;
            }
        }

        return null;
    }

    private static string? PlatformOfInfo(byte[] info)
    {
        using var document = JsonRead.Object(info, out _);
        return document is null ? null : Platform(document.RootElement);
    }

    private static string? Platform(JsonElement info)
    {
        // "ESP32-D0WD-V3 rev3" and the like, under the "Module" block (its name and key are translated).
        foreach (var property in info.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object))
        {
            foreach (var value in property.Value.EnumerateObject().Where(v => v.Value.ValueKind == JsonValueKind.String))
            {
                var text = value.Value.GetString()!;
                if (text.StartsWith("ESP32", StringComparison.OrdinalIgnoreCase) || text.StartsWith("ESP8266", StringComparison.OrdinalIgnoreCase))
                {
                    return DeviceText.CleanModel(text.Split(' ')[0])?.ToUpperInvariant();
                }
            }
        }

        return null;
    }

    [GeneratedRegex("^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$")]
    private static partial Regex MacShape();

    [GeneratedRegex(@"^\d{1,3}(\.\d{1,3}){3}$")]
    private static partial Regex Ipv4Shape();

    [GeneratedRegex(@"^v?\d+\.\d+")]
    private static partial Regex VersionShape();

    [GeneratedRegex(@"^v?(\d{1,6})\.(\d{1,6})")]
    private static partial Regex MajorMinor();
}
