using System.Text;
using System.Text.Json;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.AiOnTheEdge;

/// <summary>
/// AI-on-the-Edge (research §4.5): identified by <c>/info?type=FirmwareVersion|Hostname|IP</c>, its MAC from its retained
/// MQTT <c>&lt;main&gt;/MAC</c> (<see cref="AiOnTheEdgeMacs"/>); backed up as a zip of config/config.ini, the alignment
/// images its [Alignment] section names, config/reference.jpg where present, and info.json (the three answers). Files
/// come from <c>/fileserver/…</c>; wlan.ini (Wi-Fi and web credentials) is never served, so it is never in a backup.
/// </summary>
internal sealed class AiOnTheEdgeKind : IDeviceKind
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

    public IRestoreProtocol? Restore { get; }

    public string? NoRestoreReason => null;

    public async Task<DeviceObservation> IdentifyAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var (version, hostname, ip) = await InfoAsync(access, cancellationToken);
        var address = ip ?? access.Host;
        if (_macs.Find(address) is not { } mac)
        {
            throw DeviceException.Of(FailureKind.UnknownDevice, $"the MAC of the AI-on-the-Edge device at {address} is not known yet: it tells it only over MQTT (retained <main topic>/MAC); turn its MQTT on, with the same broker");
        }

        var name = DeviceText.CleanName(hostname) ?? DeviceText.CleanName(_macs.MainTopic(address));
        return new DeviceObservation(mac, DeviceType.AiOnTheEdge)
        {
            Name = name,
            NameSource = name is null ? NameSource.Mac : NameSource.DeviceName,
            Version = version,
            Ip = ip,
            Hostname = DeviceText.CleanHostname(hostname),
            Model = "AI-on-the-Edge",
            Platform = "ESP32",
        };
    }

    public async Task<DownloadedBackup> BackupAsync(Device device, DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var (version, hostname, ip) = await InfoAsync(access, cancellationToken);
        var config = CheckConfig(await GetFileAsync(access, ConfigFile, missingAllowed: false, cancellationToken) ?? [], ConfigFile);
        var zip = new BackupZip();
        zip.Add("info.json", InfoJson(version, hostname, ip));
        foreach (var reference in AlignmentImages(config))
        {
            zip.Add(reference, CheckImage(await GetFileAsync(access, reference, missingAllowed: false, cancellationToken) ?? [], reference));
        }

        if (!zip.Names.Contains(ReferenceFile) && await GetFileAsync(access, ReferenceFile, missingAllowed: true, cancellationToken) is { } referenceImage)
        {
            zip.Add(ReferenceFile, CheckImage(referenceImage, ReferenceFile));
        }

        zip.Add(ConfigFile, config);
        return new DownloadedBackup(zip.ToArray(_time), "zip", version, "ESP32");
    }

    /// <summary>The firmware version, host name and IP address, each a plain-text answer of <c>/info</c>.</summary>
    public async Task<(string? Version, string? Hostname, string? Ip)> InfoAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        var version = await TextAsync(access, "/info?type=FirmwareVersion", cancellationToken);
        if (version.Length == 0)
        {
            throw DeviceException.Of(FailureKind.EmptyReply, "/info?type=FirmwareVersion is empty: is this AI-on-the-Edge?");
        }

        var hostname = await TextAsync(access, "/info?type=Hostname", cancellationToken);
        var ip = await TextAsync(access, "/info?type=IP", cancellationToken);
        return (DeviceText.CleanTagVersion(version), hostname.Length == 0 ? null : hostname, DeviceText.CleanIp(ip));
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


    private static byte[] InfoJson(string? version, string? hostname, string? ip)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("FirmwareVersion", version);
            writer.WriteString("Hostname", hostname);
            writer.WriteString("IP", ip);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
