using System.Globalization;

namespace TasmoGuardian.Testing;

/// <summary>
/// One shape of Tasmota's answers, as a release still in use writes them, and the fixtures (tests/fixtures/tasmota,
/// provenance in tests/fixtures/README.md) a fake device of that shape answers from. Where no fixture of the release
/// itself exists for a page, the nearest built one is used: 9.2.0 and 13.x serve the 13.0.0 pages (same German texts,
/// research FACTS §7), 14.4.1 serves the 15.1.0 pages (German texts of 14.4 and later).
/// </summary>
public sealed record TasmotaShape
{
    private TasmotaShape(string release, string chip, string status0File, string infoFile, string discoveryFile, string pages, string pagesVersion, bool esp32, bool infoWrapped, bool ethernetBlock)
    {
        Release = release;
        Chip = chip;
        Status0File = status0File;
        InfoFile = infoFile;
        DiscoveryFile = discoveryFile;
        Pages = pages;
        PagesVersion = pagesVersion;
        IsEsp32 = esp32;
        InfoWrapped = infoWrapped;
        HasEthernetBlock = ethernetBlock;
    }

    /// <summary>9.2.0 on an ESP8266 (Sonoff Basic): the real answers of one device; INFO1..3 bare; StatusNET.Mac is the active interface's.</summary>
    public static TasmotaShape V9_2_0 { get; } = new("9.2.0", "esp8266", "tasmota_status0_http_9.2.0_esp8266.json", "tasmota_tele_info123_9.2.0_esp8266.json", "tasmota_discovery_config_9.2.0.json", "13.0.0_esp8266", "13.0.0", esp32: false, infoWrapped: false, ethernetBlock: false);

    /// <summary>13.0.0 on an ESP8266: built from the firmware's serializer code; Power a number; INFO wrapped.</summary>
    public static TasmotaShape V13_0_0 { get; } = new("13.0.0", "esp8266", "tasmota_status0_http_13.0.0_esp8266.json", "tasmota_tele_info123_13.0.0_esp8266.json", "tasmota_discovery_config_15.0.1.4.json", "13.0.0_esp8266", "13.0.0", esp32: false, infoWrapped: true, ethernetBlock: false);

    /// <summary>14.4.1 on an ESP32 (a real NSPanel): Power a string, the unused Ethernet block with zeros.</summary>
    public static TasmotaShape V14_4_1 { get; } = new("14.4.1", "esp32", "tasmota_status0_http_14.4.1_esp32.json", "tasmota_tele_info123_13.0.0_esp8266.json", "tasmota_discovery_config_15.0.1.4.json", "15.1.0_esp32", "15.1.0", esp32: true, infoWrapped: true, ethernetBlock: true);

    /// <summary>15.1.0 on an ESP32 (a real capture): StatusSTS ends with Hostname and IPAddress.</summary>
    public static TasmotaShape V15_1_0 { get; } = new("15.1.0", "esp32", "tasmota_status0_http_15.1.0_esp32.json", "tasmota_tele_info123_13.0.0_esp8266.json", "tasmota_discovery_config_15.0.1.4.json", "15.1.0_esp32", "15.1.0", esp32: true, infoWrapped: true, ethernetBlock: true);

    public static IReadOnlyList<TasmotaShape> All { get; } = [V9_2_0, V13_0_0, V14_4_1, V15_1_0];

    /// <summary>The release whose answers the fixtures hold ("9.2.0").</summary>
    public string Release { get; }

    public string Chip { get; }

    public string Status0File { get; }

    /// <summary>INFO1..3 as published: bare objects up to 9.3.1, wrapped in "Info1"… since 9.4.0.</summary>
    public string InfoFile { get; }

    public string DiscoveryFile { get; }

    /// <summary>The "release_chip" part of the page fixtures this shape serves (/rs, /u2 answers).</summary>
    public string Pages { get; }

    /// <summary>The version the served pages' footers name, replaced by the device's own.</summary>
    public string PagesVersion { get; }

    public bool IsEsp32 { get; }

    public bool InfoWrapped { get; }

    /// <summary>11.0.0 and later ESP32 builds carry StatusNET.Ethernet; before 11 StatusNET describes the active interface.</summary>
    public bool HasEthernetBlock { get; }

    /// <summary>The shape whose answers firmware <paramref name="version"/> writes: the newest shape not newer than it.</summary>
    public static TasmotaShape For(string version)
    {
        var parsed = Parse(version);
        return All.LastOrDefault(s => Parse(s.Release) <= parsed) ?? V9_2_0;
    }

    /// <summary>Whether firmware <paramref name="version"/> is at least <paramref name="minimum"/> ("13.4").</summary>
    public static bool AtLeast(string version, string minimum) => Parse(version) >= Parse(minimum);

    public override string ToString() => $"{Release} {Chip}";

    private static Version Parse(string version)
    {
        var parts = version.Split('.').Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).Concat([0, 0, 0]).Take(4).ToArray();
        return new Version(parts[0], parts[1], parts[2], parts[3]);
    }
}
