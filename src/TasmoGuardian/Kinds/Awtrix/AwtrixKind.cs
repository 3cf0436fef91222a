using System.Globalization;
using System.Text.Json;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.Awtrix;

/// <summary>
/// Awtrix 3 (research §4.6): identified by <c>/api/stats</c>; backed up as a zip of every file of its file system
/// (DoNotTouch.json with MQTT and web credentials, icons, melodies, custom apps), api_settings.json (the display
/// settings kept outside files, <c>/api/settings</c>) and info.json, the stats answer. Awtrix tells only the last three
/// bytes of its MAC (<c>uid</c> "awtrix_0ef0d4"), so its id is those bytes after the fixed, locally administered
/// prefix 02:41:57 ("AW"): <c>0241570EF0D4</c>.
/// </summary>
internal sealed class AwtrixKind : IDeviceKind
{
    public const string SettingsFile = "api_settings.json";
    private const int MaxAnswerBytes = 256 * 1024;

    private readonly DeviceHttp _http;
    private readonly GuardianOptions _options;
    private readonly TimeProvider _time;

    public AwtrixKind(DeviceHttp http, GuardianOptions options, TimeProvider time)
    {
        _http = http;
        _options = options;
        _time = time;
        Files = new EditFileSystem(http, options);
        Restore = new AwtrixRestore(this, http, options);
    }

    public DeviceType Type => DeviceType.Awtrix;

    public string OptionName => "awtrix";

    public string DisplayName => "Awtrix";

    public string DefaultUsername => "admin";

    public string? DefaultPassword => null;

    // The firmware runs on the ESP32 only.
    public string? PlatformOf(byte[] backup) => "ESP32";

    public IBackupComparer Changes => AwtrixChanges.Comparer;

    public IRestoreProtocol? Restore { get; }

    public string? NoRestoreReason => null;

    public EditFileSystem Files { get; }

    public async Task<DeviceObservation> IdentifyAsync(DeviceAccess access, CancellationToken cancellationToken) =>
        Parse(await StatsAsync(access, cancellationToken));

    public async Task<DownloadedBackup> BackupAsync(Device device, DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var stats = await StatsAsync(access, cancellationToken);
        var settings = await GetJsonAsync(access, "/api/settings", cancellationToken);
        var zip = new BackupZip();
        zip.Add("info.json", stats);
        zip.Add(SettingsFile, settings);
        foreach (var (path, content) in await Files.DownloadAllAsync(access, cancellationToken))
        {
            if (path is not ("info.json" or SettingsFile))
            {
                zip.Add(path, content);
            }
        }

        var observation = Parse(stats);
        return new DownloadedBackup(zip.ToArray(_time), "zip", observation.Version, observation.Platform);
    }

    public Task<byte[]> StatsAsync(DeviceAccess access, CancellationToken cancellationToken) => GetJsonAsync(access, "/api/stats", cancellationToken, "uid");

    public async Task<byte[]> GetJsonAsync(DeviceAccess access, string path, CancellationToken cancellationToken, params string[] keys) =>
        PartCheck.JsonObject(await _http.GetAsync(access.Url(path), access, _options.RequestTimeout, MaxAnswerBytes, cancellationToken), path, access.HasPassword, keys);

    public static DeviceObservation Parse(byte[] stats)
    {
        using var document = JsonRead.Object(stats, out var problem)
            ?? throw DeviceException.Of(FailureKind.InvalidJson, $"/api/stats could not be read ({problem})");
        var root = document.RootElement;
        var uid = JsonRead.String(root, "uid");
        if (StableId(uid) is not { } mac)
        {
            throw DeviceException.Of(FailureKind.NotADump, "/api/stats has no \"uid\" ending in six hex digits: is this Awtrix 3?");
        }

        var name = DeviceText.CleanName(uid);
        return new DeviceObservation(mac, DeviceType.Awtrix)
        {
            Name = name,
            NameSource = NameSource.Topic,
            Version = Version(root),
            Ip = DeviceText.CleanIp(JsonRead.String(root, "ip_address")),
            Hostname = DeviceText.CleanHostname(uid),
            Model = "Awtrix 3",
            Platform = "ESP32",
        };
    }

    /// <summary>02:41:57 and the three bytes the uid ends with; null when it does not end in six hex digits.</summary>
    public static Mac? StableId(string? uid)
    {
        if (uid is null || uid.Length < 6)
        {
            return null;
        }

        var tail = uid[^6..];
        return tail.All(char.IsAsciiHexDigit) && Mac.TryParse("024157" + tail, out var mac) ? mac : null;
    }

    public static string? Version(JsonElement stats) => DeviceText.CleanVersion(JsonRead.String(stats, "version"));

    public static TimeSpan? Uptime(JsonElement stats) =>
        JsonRead.Int64(stats, "uptime") is { } seconds ? TimeSpan.FromSeconds(seconds)
        : long.TryParse(JsonRead.String(stats, "uptime"), NumberStyles.None, CultureInfo.InvariantCulture, out var text) ? TimeSpan.FromSeconds(text) : null;
}
