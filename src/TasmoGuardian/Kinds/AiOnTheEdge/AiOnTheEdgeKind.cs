using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.AiOnTheEdge;

/// <summary>
/// AI-on-the-Edge (research §4.5): identified by <c>/info?type=FirmwareVersion|Hostname|IP</c>, its MAC from its MQTT
/// <c>&lt;main&gt;/MAC</c> (<see cref="AiOnTheEdgeMacs"/>); backed up as a zip of config/config.ini, the alignment
/// images its [Alignment] section names, config/reference.jpg where present, and info.json (the three answers). Files
/// come from <c>/fileserver/…</c>; wlan.ini (Wi-Fi and web credentials) is never served, so it is never in a backup.
/// </summary>
internal sealed partial class AiOnTheEdgeKind : IDeviceKind
{
    public const string ConfigFile = "config/config.ini";
    public const string ReferenceFile = "config/reference.jpg";
    private const int MaxTextBytes = 16 * 1024;
    private const int MaxReferences = 8;

    private readonly DeviceHttp _http;
    private readonly GuardianOptions _options;
    private readonly AiOnTheEdgeMacs _macs;
    private readonly TimeProvider _time;

    public AiOnTheEdgeKind(DeviceHttp http, GuardianOptions options, AiOnTheEdgeMacs macs, TimeProvider time)
    {
        _http = http;
        _options = options;
        _macs = macs;
        _time = time;
        Restore = new AiOnTheEdgeRestore(this, http, options);
    }

    public DeviceType Type => DeviceType.AiOnTheEdge;

    public string OptionName => "ai_on_the_edge";

    public string DisplayName => "AI-on-the-Edge";

    public string DefaultUsername => "admin";

    public string? DefaultPassword => null;

    // The firmware runs on the ESP32 only.
    public string? PlatformOf(byte[] backup) => "ESP32";

    public IBackupComparer Changes => AiOnTheEdgeChanges.Comparer;

    public IRestoreProtocol? Restore { get; }

    public string? NoRestoreReason => null;

    public async Task<DeviceObservation> IdentifyAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var (firmware, hostname, ip) = await InfoAsync(access, cancellationToken);
        var address = ip ?? access.Host;
        if (_macs.Find(address) is not { } mac)
        {
            await AskToPublishAsync(access, cancellationToken);
            throw DeviceException.Of(FailureKind.UnknownDevice, $"the MAC of the AI-on-the-Edge device at {address} is not known yet: it tells it only over MQTT (<main topic>/MAC), which it publishes at its start and, asked now, in its next round (the [AutoTimer] interval, 5 minutes by default). It is known at once only when its MQTT settings have RetainMessages = true; its MQTT must use the same broker");
        }

        var name = DeviceText.CleanName(hostname) ?? DeviceText.CleanName(_macs.MainTopic(address));
        return new DeviceObservation(mac, DeviceType.AiOnTheEdge)
        {
            Name = name,
            NameSource = name is null ? NameSource.Mac : NameSource.DeviceName,
            Version = FirmwareVersion(firmware),
            Ip = ip,
            Hostname = DeviceText.CleanHostname(hostname),
            Model = "AI-on-the-Edge",
            Platform = "ESP32",
        };
    }

    public async Task<DownloadedBackup> BackupAsync(Device device, DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var (firmware, hostname, ip) = await InfoAsync(access, cancellationToken);
        var config = CheckConfig(await GetFileAsync(access, ConfigFile, missingAllowed: false, cancellationToken) ?? [], ConfigFile);
        var zip = new BackupZip();
        zip.Add("info.json", InfoJson(firmware, hostname, ip));
        foreach (var reference in AlignmentImages(config))
        {
            zip.Add(reference, CheckImage(await GetFileAsync(access, reference, missingAllowed: false, cancellationToken) ?? [], reference));
        }

        if (!zip.Names.Contains(ReferenceFile) && await GetFileAsync(access, ReferenceFile, missingAllowed: true, cancellationToken) is { } referenceImage)
        {
            zip.Add(ReferenceFile, CheckImage(referenceImage, ReferenceFile));
        }

        zip.Add(ConfigFile, config);
        return new DownloadedBackup(zip.ToArray(_time), "zip", FirmwareVersion(firmware), "ESP32");
    }

    /// <summary>The firmware's answer (<see cref="FirmwareVersion"/> reads it), host name and IP address, each a plain-text answer of <c>/info</c>.</summary>
    public async Task<(string Firmware, string? Hostname, string? Ip)> InfoAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        var firmware = await TextAsync(access, "/info?type=FirmwareVersion", cancellationToken);
        if (firmware.Length == 0)
        {
            throw DeviceException.Of(FailureKind.EmptyReply, "/info?type=FirmwareVersion is empty: is this AI-on-the-Edge?");
        }

        var hostname = await TextAsync(access, "/info?type=Hostname", cancellationToken);
        var ip = await TextAsync(access, "/info?type=IP", cancellationToken);
        return (firmware, hostname.Length == 0 ? null : hostname, DeviceText.CleanIp(ip));
    }

    /// <summary>
    /// The version in <c>/info?type=FirmwareVersion</c>, a sentence (<c>getFwVersion()</c>, <c>code/main/version.h</c>):
    /// "Release: v16.1.0 (Commit: a1ccda2)" → "16.1.0"; a build that is no release ("Development-Branch: rolling
    /// (Commit: 1b600d5+)") has no version number, so null. A bare tag ("v15.7.0", as backups of Tasmo Guardian 0.3
    /// kept it) is read as one.
    /// </summary>
    public static string? FirmwareVersion(string? answer)
    {
        if (string.IsNullOrWhiteSpace(answer))
        {
            return null;
        }

        var text = answer.Trim();
        if (ReleaseSentence().Match(text) is { Success: true } release)
        {
            return DeviceText.CleanTagVersion(release.Groups[1].Value);
        }

        return text.Contains(':', StringComparison.Ordinal) || text.Contains(' ', StringComparison.Ordinal) ? null : DeviceText.CleanTagVersion(text);
    }

    public async Task<string> TextAsync(DeviceAccess access, string path, CancellationToken cancellationToken)
    {
        var answer = DeviceHttp.RequireOk(await _http.GetAsync(access.Url(path), access, _options.RequestTimeout, MaxTextBytes, cancellationToken), path, access.HasPassword);
        if (WebPage.LooksLikeHtml(answer.Body))
        {
            throw DeviceException.Of(FailureKind.HtmlPage, $"{path} is a web page, not the device's answer: is this AI-on-the-Edge?");
        }

        return Encoding.UTF8.GetString(answer.Body).Trim();
    }

    /// <summary>A file below the SD card's root ("config/ref0.jpg"); null when it is missing and may be.</summary>
    public async Task<byte[]?> GetFileAsync(DeviceAccess access, string path, bool missingAllowed, CancellationToken cancellationToken)
    {
        var answer = await _http.GetAsync(access.Url("/fileserver/" + path), access, _options.RequestTimeout, FileSet.MaxFileBytes, cancellationToken);
        if (missingAllowed && answer.StatusCode == 404)
        {
            return null;
        }

        return DeviceHttp.RequireOk(answer, "/fileserver/" + path, access.HasPassword).Body;
    }

    /// <summary>config.ini, when it is one: text with the [Alignment] section every version has, not a web page.</summary>
    public static byte[] CheckConfig(byte[] body, string part)
    {
        if (WebPage.LooksLikeHtml(body))
        {
            throw DeviceException.Of(FailureKind.HtmlPage, $"{part} is a web page, not the device's configuration");
        }

        if (!Encoding.UTF8.GetString(body).Contains("[Alignment]", StringComparison.OrdinalIgnoreCase))
        {
            throw DeviceException.Of(body.Length == 0 ? FailureKind.EmptyReply : FailureKind.NotADump, $"{part} has no [Alignment] section: it is cut short or not AI-on-the-Edge's config.ini");
        }

        return body;
    }

    /// <summary>An image, when it is a whole JPEG (it starts with FF D8 and ends with FF D9).</summary>
    public static byte[] CheckImage(byte[] body, string part)
    {
        if (body.Length < 4 || body[0] != 0xFF || body[1] != 0xD8)
        {
            throw DeviceException.Of(WebPage.LooksLikeHtml(body) ? FailureKind.HtmlPage : FailureKind.NotADump, $"{part} is not a JPEG image");
        }

        if (body[^2] != 0xFF || body[^1] != 0xD9)
        {
            throw DeviceException.Of(FailureKind.Truncated, $"{part} is cut short (the JPEG has no end marker)");
        }

        return body;
    }

    /// <summary>
    /// The images the [Alignment] section names: lines such as <c>/config/ref0.jpg 103 271</c>; commented lines (";")
    /// are not in use and are left out.
    /// </summary>
    public static IReadOnlyList<string> AlignmentImages(byte[] config)
    {
        var images = new List<string>();
        var inAlignment = false;
        foreach (var raw in Encoding.UTF8.GetString(config).Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('['))
            {
                inAlignment = line.StartsWith("[Alignment]", StringComparison.OrdinalIgnoreCase);
                continue;
            }

            if (!inAlignment || !line.StartsWith('/'))
            {
                continue;
            }

            var path = FileSet.SafePath(line.Split([' ', '\t'], 2)[0], "config.ini");
            if (path.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) && !images.Contains(path))
            {
                images.Add(path);
            }
        }

        return images.Count > MaxReferences
            ? throw DeviceException.Of(FailureKind.NotADump, $"config.ini names {images.Count} alignment images, more than {MaxReferences}")
            : images;
    }


    /// <summary>
    /// Asks the device to publish its static MQTT topics (MAC among them) in its next round (<c>GET
    /// /mqtt_publish_discovery</c>, firmware 14 and later, <c>server_mqtt.cpp:315-320</c>). Without RetainMessages they
    /// are published only at its start, before this program may have been listening.
    /// </summary>
    private async Task AskToPublishAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        try
        {
            await _http.GetAsync(access.Url("/mqtt_publish_discovery"), access, _options.RequestTimeout, MaxTextBytes, cancellationToken);
        }
        catch (DeviceException)
        {
            // Only a request for a favour: the reason the device is not identified stays the missing MAC.
        }
    }

    private static byte[] InfoJson(string firmware, string? hostname, string? ip)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("FirmwareVersion", firmware);
            writer.WriteString("Hostname", hostname);
            writer.WriteString("IP", ip);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    // "Release: v16.1.0 (Commit: a1ccda2)" and "Release: 16.0.0-RC7 (Commit: …)": the tag between "Release: " and " (".
    [GeneratedRegex(@"^Release:\s*(\S+)\s*\(")]
    private static partial Regex ReleaseSentence();
}
