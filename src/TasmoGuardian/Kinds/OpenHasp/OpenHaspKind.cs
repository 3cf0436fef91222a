using System.Text.Json;
using System.Text.RegularExpressions;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Mqtt;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.OpenHasp;

/// <summary>
/// openHASP (research §4.7): identified by <c>/api/info/</c> (whose keys are in the firmware's language, so the MAC and
/// version are found by their shape) and the node name in config.json; backed up as a zip of every file of its file
/// system (config.json, pages.jsonl, boot.cmd, fonts, images) and info.json. openHASP serves config.json with its
/// Wi-Fi, MQTT and web passwords masked ("********"), so no backup holds them (<see cref="MaskNote"/>).
/// </summary>
internal sealed partial class OpenHaspKind : IDeviceKind
{
    public const string ConfigFile = "config.json";
    public const string PasswordMask = "********";
    public const string MaskNote = "openHASP serves config.json with its Wi-Fi, MQTT and web passwords masked; a restore onto the same device keeps the passwords it has";
    private const int MaxAnswerBytes = 256 * 1024;

    private readonly DeviceHttp _http;
    private readonly GuardianOptions _options;
    private readonly TimeProvider _time;

    public OpenHaspKind(DeviceHttp http, GuardianOptions options, TimeProvider time)
    {
        _http = http;
        _options = options;
        _time = time;
        Files = new EditFileSystem(http, options, "?download=true", servedRewritten: ConfigFile);
        Restore = new OpenHaspRestore(this, http, options);
    }

    public DeviceType Type => DeviceType.OpenHasp;

    public string OptionName => "openhasp";

    public string DisplayName => "openHASP";

    public string DefaultUsername => "admin";

    public string? DefaultPassword => null;

    public string? PlatformOf(byte[] backup) => BackupZip.InfoPlatform(backup, "info.json", info => Parse(info, null).Platform);

    public IRestoreProtocol? Restore { get; }

    public string? NoRestoreReason => null;

    public EditFileSystem Files { get; }

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

        return Parse(info, config);
    }

    public async Task<DownloadedBackup> BackupAsync(Device device, DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var info = await InfoAsync(access, cancellationToken);
        var files = await Files.DownloadAllAsync(access, cancellationToken);
        if (!files.TryGetValue(ConfigFile, out var config))
        {
            throw DeviceException.Of(FailureKind.NotADump, "the device lists no config.json: is this openHASP?");
        }

        PartCheck.JsonObject(config, "/config.json");
        var zip = new BackupZip();
        zip.Add("info.json", info);
        foreach (var (path, content) in files.Where(f => f.Key != "info.json"))
        {
            zip.Add(path, content);
        }

        var observation = Parse(info, config);
        return new DownloadedBackup(zip.ToArray(_time), "zip", observation.Version, observation.Platform) { Note = MaskNote };
    }

    public Task<byte[]> InfoAsync(DeviceAccess access, CancellationToken cancellationToken) => GetJsonAsync(access, "/api/info/", cancellationToken);

    public async Task<byte[]> GetJsonAsync(DeviceAccess access, string path, CancellationToken cancellationToken) =>
        PartCheck.JsonObject(await _http.GetAsync(access.Url(path), access, _options.RequestTimeout, MaxAnswerBytes, cancellationToken), path, access.HasPassword);

    /// <summary>The address in openHASP's <c>hasp/discovery/&lt;hwid&gt;</c>, whose "uri" is "http://&lt;ip&gt;" (research §4.7); null when it has none.</summary>
    public static string? AnnouncedIp(MqttMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var document = JsonRead.Object(message.Payload, out _);
        var uri = document is null ? null : JsonRead.String(document.RootElement, "uri");
        return System.Uri.TryCreate(uri, UriKind.Absolute, out var address) && address.Scheme == System.Uri.UriSchemeHttp ? DeviceText.CleanIp(address.Host) : null;
    }

    /// <summary>The answer of <c>/api/info/</c>; <paramref name="config"/> (config.json) gives the node name when known.</summary>
    public static DeviceObservation Parse(byte[] info, byte[]? config)
    {
        using var document = JsonRead.Object(info, out var problem)
            ?? throw DeviceException.Of(FailureKind.InvalidJson, $"/api/info/ could not be read ({problem})");
        var root = document.RootElement;
        if (FirstMac(root) is not { } mac)
        {
            throw DeviceException.Of(FailureKind.NotADump, "/api/info/ holds no MAC address: is this openHASP?");
        }

        string? node = null;
        if (config is not null && JsonRead.Object(config, out _) is { } configDocument)
        {
            using (configDocument)
            {
                node = JsonRead.Child(configDocument.RootElement, "mqtt") is { } mqtt ? DeviceText.CleanName(JsonRead.String(mqtt, "name")) : null;
            }
        }

        return new DeviceObservation(mac, DeviceType.OpenHasp)
        {
            Name = node,
            NameSource = node is null ? NameSource.Mac : NameSource.DeviceName,
            Version = Version(root),
            Hostname = DeviceText.CleanHostname(node),
            Model = "openHASP",
            Platform = Platform(root),
        };
    }

    /// <summary>The version in the "openHASP" block ("0.7.0-rc13"), whatever the firmware's language calls the key.</summary>
    public static string? Version(JsonElement info)
    {
        if (JsonRead.Child(info, "openHASP") is not { ValueKind: JsonValueKind.Object } block)
        {
            return null;
        }

        foreach (var property in block.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String && VersionShape().IsMatch(property.Value.GetString()!))
            {
                return DeviceText.CleanVersion(property.Value.GetString());
            }
        }

        return null;
    }

    private static Mac? FirstMac(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (FirstMac(property.Value) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.String when MacShape().IsMatch(element.GetString()!) && Mac.TryParse(element.GetString(), out var mac):
                return mac;
            default:
                return null;
        }
    }

    private static string? Platform(JsonElement info)
    {
        // "ESP32-S3" and the like, under a "Module" block on ESP builds.
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

    [GeneratedRegex(@"^v?\d+\.\d+\.\d+")]
    private static partial Regex VersionShape();
}
