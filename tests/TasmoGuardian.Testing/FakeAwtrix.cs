using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TasmoGuardian.Testing;

/// <summary>
/// An Awtrix 3 clock answering from the fixtures in tests/fixtures/awtrix: <c>/api/stats</c> of its release with its uid
/// (the MAC's last three bytes), the display settings kept outside files at <c>/api/settings</c> (GET as getSettings
/// writes them; POST read as setNewSettings reads them, always answered 200 "OK"), the file browser (sizes as text),
/// <c>/api/reboot</c>, <c>/version</c> and Basic auth when its web password is set. A restart keeps only the settings
/// saveSettings writes (Blueforcer/awtrix3 src/Globals.cpp).
/// </summary>
public sealed class FakeAwtrix : FakeFileBrowser
{
    // setNewSettings' defaults for a colour it cannot read (DisplayManager.cpp:2185-2250).
    private static readonly Dictionary<string, int> ColourDefaults = new(StringComparer.Ordinal)
    {
        ["WDCA"] = 0xFFFFFF, ["CHCOL"] = 0xFF0000, ["CTCOL"] = 0x000000, ["CBCOL"] = 0xFFFFFF, ["WDCI"] = 0x666666, ["TCOL"] = 0xFFFFFF,
    };

    // Read after TCOL, defaulting to the text colour.
    private static readonly string[] TextColours = ["TIME_COL", "DATE_COL", "TEMP_COL", "HUM_COL", "BAT_COL"];

    // What setNewSettings takes as it comes (DisplayManager.cpp:2084-2160).
    private static readonly string[] Plain = ["ATIME", "OVERLAY", "TMODE", "TEFF", "TSPEED", "BRI", "SSPEED", "CEL", "SOM", "MATP", "TFORMAT", "GAMMA", "DFORMAT", "ABRI", "ATRANS", "UPPERCASE", "WD", "BLOCKN", "TIM", "DAT", "HUM", "TEMP", "BAT", "SOUND", "VOL"];

    // Held in memory only, back to these at a start (src/Globals.cpp saveSettings writes none of them).
    private static readonly string[] NotSaved = ["MATP", "GAMMA", "CCORRECTION", "CTEMP", "OVERLAY"];

    private readonly string _release;
    private readonly JsonObject _bootSettings;

    private FakeAwtrix(string release)
        : base(RandomMac("48e2a1"))
    {
        _release = release;
        Settings = FirmwareFixtures.Object("awtrix/awtrix_api_settings_0.98.json");
        _bootSettings = (JsonObject)Settings.DeepClone();

        // The keys the firmware reads (ServerManager.cpp:353-380); the values are illustrative.
        SetFile("DoNotTouch.json", """{"NTP Server":"de.pool.ntp.org","Timezone":"CET-1CEST,M3.5.0,M10.5.0/3","Broker":"192.168.1.10","Port":1883,"Username":"clock","Password":"mqtt-secret","Prefix":"awtrix_clock","Homeassistant Discovery":true,"Static IP":false,"Auth Username":"","Auth Password":""}"""u8.ToArray());
        SetFile("ICONS/1234.gif", [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 2, 3]);
        SetFile("MELODIES/alarm.txt", "Alarm:d=8,o=5,b=140:c,e,g"u8.ToArray());
        SetFile("CUSTOMAPPS/weather.json", """{"text":"Sunny","icon":1234}"""u8.ToArray());
    }

    /// <summary>"awtrix_" and the MAC's last three bytes in lower-case hex (src/Globals.cpp:10-19).</summary>
    public string Uid => "awtrix_" + Mac[^6..];

    /// <summary>The display settings as GET /api/settings reports them.</summary>
    public JsonObject Settings { get; private set; }

    /// <summary>A file served shorter than listed, as a connection dropped mid-file does.</summary>
    public string? CutsShort { get; set; }

    /// <param name="release">"0.98", "0.96" or "0.90" (which has no ip_address in its stats).</param>
    public static FakeAwtrix Start(string release = "0.98") => new(release);

    /// <summary>The stats as the clock publishes them on &lt;prefix&gt;/stats and serves them on /api/stats.</summary>
    public string Stats()
    {
        var stats = FirmwareFixtures.Object($"awtrix/awtrix_api_stats_{_release}.json");
        lock (Gate)
        {
            stats["bri"] = (int?)Settings["BRI"] ?? 0;
        }

        stats["uptime"] = UptimeSeconds;
        stats["uid"] = Uid;
        if (stats.ContainsKey("ip_address"))
        {
            stats["ip_address"] = Ip;
        }

        return FirmwareFixtures.Write(stats);
    }

    protected override byte[] Serve(string path, byte[] stored) => path == CutsShort ? stored[..^2] : stored;

    protected override Task HandleAsync(FakeHttpExchange exchange)
    {
        var request = exchange.Request;
        if (!Authorized(request))
        {
            return FirmwareFixtures.Http("awtrix/awtrix_unauthorized_0.98.http").WriteAsync(exchange);
        }

        return (request.Method, request.Path) switch
        {
            (_, "/api/stats") => exchange.RespondAsync(200, "application/json", Stats()),
            ("GET", "/api/settings") => exchange.RespondAsync(200, "application/json", SettingsText()),
            ("POST", "/api/settings") => SetSettingsAsync(exchange),
            (_, "/api/reboot") => RebootAsync(exchange),
            (_, "/version") => FirmwareFixtures.Http("awtrix/awtrix_version_0.98.http").WithBody(_release).WriteAsync(exchange),
            (_, "/list") => ListAsync(exchange),
            ("POST", "/edit") => EditAsync(exchange),
            ("GET", _) => FileAsync(exchange),
            _ => FileNotFoundAsync(exchange),
        };
    }

    protected override JsonObject ListEntry(string name, bool isDirectory, long size) =>
        new() { ["type"] = isDirectory ? "dir" : "file", ["size"] = size.ToString(CultureInfo.InvariantCulture), ["name"] = name };

    protected override Task NoFolderGivenAsync(FakeHttpExchange exchange) => FirmwareFixtures.Http("awtrix/awtrix_list_missing_dir_0.98.http").WriteAsync(exchange);

    protected override Task NoSuchFolderAsync(FakeHttpExchange exchange) => FirmwareFixtures.Http("awtrix/awtrix_list_bad_path_0.98.http").WriteAsync(exchange);

    protected override Task FileNotFoundAsync(FakeHttpExchange exchange) => FirmwareFixtures.Http("awtrix/awtrix_file_not_found_0.98.http").WriteAsync(exchange);

    protected override Task WrittenAsync(FakeHttpExchange exchange) => FirmwareFixtures.Http("awtrix/awtrix_edit_post_ok_0.98.http").WriteAsync(exchange);

    protected override Task NotWrittenAsync(FakeHttpExchange exchange) => FirmwareFixtures.Http("awtrix/awtrix_edit_post_create_failed_0.98.http").WriteAsync(exchange);

    protected override void OnRestart()
    {
        lock (Gate)
        {
            foreach (var key in NotSaved)
            {
                Settings[key] = _bootSettings[key]?.DeepClone();
            }
        }
    }

    // strtol(text, NULL, 16) of the text without its "#": the leading hex digits, 0 when there are none.
    private static int Hex(string text)
    {
        var digits = new string([.. text.TrimStart().TakeWhile(char.IsAsciiHexDigit)]);
        return digits.Length == 0 ? 0 : (int)(long.Parse(digits[..Math.Min(digits.Length, 8)], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) & 0xFFFFFFFF);
    }

    // getColorFromJsonVariant (src/Functions.cpp:62-91): "#RRGGBB" or [r,g,b]; anything else, a number too, is the default.
    private static int Colour(JsonElement value, int fallback) => value.ValueKind switch
    {
        JsonValueKind.String => Hex(value.GetString()!.Replace("#", "", StringComparison.Ordinal)),
        JsonValueKind.Array when value.GetArrayLength() == 3 => (value[0].GetInt32() << 16) | (value[1].GetInt32() << 8) | value[2].GetInt32(),
        _ => fallback,
    };

    private string SettingsText()
    {
        lock (Gate)
        {
            return FirmwareFixtures.Write(Settings);
        }
    }

    private Task SetSettingsAsync(FakeHttpExchange exchange)
    {
        var ok = FirmwareFixtures.Http("awtrix/awtrix_api_settings_post_0.98.http");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(exchange.Request.Body);
        }
        catch (JsonException)
        {
            return ok.WriteAsync(exchange);
        }

        using (document)
        {
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                lock (Gate)
                {
                    Apply(document.RootElement);
                }
            }
        }

        return ok.WriteAsync(exchange);
    }

    // setNewSettings (DisplayManager.cpp:2068-2256): MAT is not read at all; GAMEMODE and GAME end it early.
    private void Apply(JsonElement changes)
    {
        if (changes.TryGetProperty("OVERLAY", out var overlay))
        {
            Settings["OVERLAY"] = JsonNode.Parse(overlay.GetRawText());
            if (changes.EnumerateObject().Count() == 1)
            {
                return;
            }
        }

        if (changes.TryGetProperty("GAMEMODE", out _) || changes.TryGetProperty("GAME", out _))
        {
            return;
        }

        foreach (var key in Plain.Where(k => changes.TryGetProperty(k, out _)))
        {
            Settings[key] = JsonNode.Parse(changes.GetProperty(key).GetRawText());
        }

        foreach (var key in new[] { "CCORRECTION", "CTEMP" }.Where(k => changes.TryGetProperty(k, out _)))
        {
            // A text is read whole by strtoul, which stops at a "#"; an array of three is taken as it is.
            var value = changes.GetProperty(key);
            int? rgb = value.ValueKind switch
            {
                JsonValueKind.String => Hex(value.GetString()!),
                JsonValueKind.Array when value.GetArrayLength() == 3 => Colour(value, 0),
                _ => null,
            };
            if (rgb is { } known)
            {
                Settings[key] = "#" + (known & 0xFFFFFF).ToString("X6", CultureInfo.InvariantCulture);
            }
        }

        foreach (var (key, fallback) in ColourDefaults.Where(c => changes.TryGetProperty(c.Key, out _)))
        {
            Settings[key] = Colour(changes.GetProperty(key), fallback);
        }

        foreach (var key in TextColours.Where(k => changes.TryGetProperty(k, out _)))
        {
            Settings[key] = Colour(changes.GetProperty(key), (int)Settings["TCOL"]!);
        }
    }

    private async Task RebootAsync(FakeHttpExchange exchange)
    {
        await FirmwareFixtures.Http("awtrix/awtrix_api_reboot_0.98.http").WriteAsync(exchange);
        Restart();
    }
}
