using System.Text;
using System.Text.Json.Nodes;

namespace TasmoGuardian.Testing;

/// <summary>
/// An Awtrix 3 clock (ServerManager.cpp, esp-fs-webserver.cpp): <c>/api/stats</c> with its uid (the MAC's last three
/// bytes), display settings outside files at <c>/api/settings</c> (GET, and POST to change them), the file browser,
/// and <c>/api/reboot</c>. Optional Basic auth.
/// </summary>
public sealed class FakeAwtrix : FakeFileBrowser
{
    private FakeAwtrix()
        : base(RandomMac("3c71bf"))
    {
        SetFile("DoNotTouch.json", """{"Broker":"192.168.1.10","Port":1883,"Username":"clock","Password":"mqtt-secret","Prefix":"awtrix_clock","Auth Username":"","Auth Password":""}"""u8.ToArray());
        SetFile("ICONS/1234.gif", [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 2, 3]);
        SetFile("MELODIES/alarm.txt", "Alarm:d=8,o=5,b=140:c,e,g"u8.ToArray());
        SetFile("CUSTOMAPPS/weather.json", """{"text":"Sunny","icon":1234}"""u8.ToArray());
    }

    public string Version { get; set; } = "0.96";

    public string Uid => "awtrix_" + Mac[^6..];

    public JsonObject Settings { get; set; } = JsonNode.Parse("""{"MATP":true,"ABRI":false,"BRI":120,"ATRANS":true,"TCOL":16777215,"TEFF":1,"TSPEED":400,"ATIME":7,"TMODE":1,"TFORMAT":"%H:%M:%S","DFORMAT":"%d.%m.%y","SOM":true,"CEL":true,"TIM":true,"DAT":false,"HUM":true,"TEMP":true,"BAT":false}""")!.AsObject();

    /// <summary>A file served shorter than listed, as a connection dropped mid-file does.</summary>
    public string? CutsShort { get; set; }

    protected override bool SizesAsText => true;

    protected override byte[] Serve(string path, byte[] stored) => path == CutsShort ? stored[..^2] : stored;

    public static FakeAwtrix Start() => new();

    /// <summary>The stats as the clock publishes them on &lt;prefix&gt;/stats and serves them on /api/stats.</summary>
    public string Stats() =>
        $$"""{"bat":100,"bat_raw":669,"type":0,"lux":2,"ldr_raw":75,"ram":147000,"bri":{{(int?)Settings["BRI"] ?? 0}},"temp":25,"hum":31,"uptime":{{UptimeSeconds}},"wifi_signal":-64,"messages":0,"version":"{{Version}}","indicator1":false,"indicator2":false,"indicator3":false,"app":"Time","uid":"{{Uid}}","matrix":true,"ip_address":"{{Ip}}"}""";

    protected override Task HandleAsync(FakeHttpExchange exchange)
    {
        var request = exchange.Request;
        if (!Authorized(request))
        {
            return UnauthorizedAsync(exchange);
        }

        return (request.Method, request.Path) switch
        {
            (_, "/api/stats") => exchange.RespondAsync(200, "application/json", Stats()),
            ("GET", "/api/settings") => exchange.RespondAsync(200, "application/json", SettingsText()),
            ("POST", "/api/settings") => SetSettingsAsync(exchange),
            (_, "/api/reboot") => RebootAsync(exchange),
            (_, "/list") => ListAsync(exchange),
            ("POST", "/edit") => EditAsync(exchange, ""),
            ("GET", _) => FileAsync(exchange),
            _ => exchange.RespondAsync(404, "text/plain", "Not found"),
        };
    }

    private string SettingsText()
    {
        lock (Gate)
        {
            return Settings.ToJsonString();
        }
    }

    private Task SetSettingsAsync(FakeHttpExchange exchange)
    {
        if (JsonNode.Parse(Encoding.UTF8.GetString(exchange.Request.Body)) is not JsonObject changes)
        {
            return exchange.RespondAsync(500, "text/plain", "ErrorParsingJson");
        }

        lock (Gate)
        {
            foreach (var (key, value) in changes)
            {
                Settings[key] = value?.DeepClone();
            }
        }

        return exchange.RespondAsync(200, "text/plain", "OK");
    }

    private async Task RebootAsync(FakeHttpExchange exchange)
    {
        await exchange.RespondAsync(200, "text/plain", "OK");
        Restart();
    }
}
