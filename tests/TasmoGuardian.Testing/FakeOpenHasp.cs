using System.Text;
using System.Text.Json.Nodes;

namespace TasmoGuardian.Testing;

/// <summary>
/// An openHASP plate (hasp_http.cpp, hasp_config.cpp): <c>/api/info/</c> with the firmware's language's keys, the file
/// browser with config.json served with its passwords masked ("********"), uploads of config.json keeping a password
/// where the upload has the mask, and <c>/reboot</c>. Basic auth when its web password is set.
/// </summary>
public sealed class FakeOpenHasp : FakeFileBrowser
{
    public const string Mask = "********";
    private static readonly string[] Secrets = ["wifi", "mqtt", "http"];

    private FakeOpenHasp()
        : base(RandomMac("240ac4"))
    {
        // A plate with a display boots for seconds; it reports no uptime, so its restart is seen only as it going away.
        RestartTime = TimeSpan.FromSeconds(2.5);
        SetFile("config.json", """{"wifi":{"ssid":"home","pass":"wifi-secret"},"mqtt":{"name":"plate","host":"192.168.1.10","port":1883,"user":"hasp","pass":"mqtt-secret"},"http":{"user":"admin","pass":""},"hasp":{"startpage":1,"theme":2}}"""u8.ToArray());
        SetFile("pages.jsonl", "{\"page\":1,\"id\":0,\"obj\":\"btn\",\"text\":\"Lights\"}\n{\"page\":1,\"id\":1,\"obj\":\"label\",\"text\":\"Kitchen\"}\n"u8.ToArray());
        SetFile("boot.cmd", "backlight=on\n"u8.ToArray());
        SetFile("fonts/roboto-24.bin", [1, 2, 3, 4, 5]);
    }

    public string Version { get; set; } = "0.7.0-rc13";

    public static FakeOpenHasp Start() => new();

    /// <summary>The password in config.json under <paramref name="module"/>, as the device keeps it (unmasked).</summary>
    public string? StoredPassword(string module) => (string?)JsonNode.Parse(File("config.json")!)![module]?["pass"];

    protected override Task HandleAsync(FakeHttpExchange exchange)
    {
        var request = exchange.Request;
        if (!Authorized(request))
        {
            return UnauthorizedAsync(exchange);
        }

        return (request.Method, request.Path) switch
        {
            (_, "/api/info/") => exchange.RespondAsync(200, "application/json", Info()),
            (_, "/reboot") => RebootAsync(exchange),
            (_, "/list") => ListAsync(exchange),
            ("POST", "/edit") => EditAsync(exchange, "Upload OK"),
            ("GET", _) => FileAsync(exchange),
            _ => exchange.RespondAsync(404, "text/plain", "Not found"),
        };
    }

    protected override byte[] Serve(string path, byte[] stored)
    {
        if (path != "config.json" || JsonNode.Parse(stored) is not JsonObject config)
        {
            return stored;
        }

        foreach (var module in Secrets)
        {
            if (config[module] is JsonObject block && block["pass"] is not null)
            {
                block["pass"] = Mask;
            }
        }

        return Encoding.UTF8.GetBytes(config.ToJsonString());
    }

    protected override byte[] Store(string path, byte[] uploaded, byte[]? current)
    {
        if (path != "config.json" || current is null || JsonNode.Parse(uploaded) is not JsonObject config || JsonNode.Parse(current) is not JsonObject old)
        {
            return uploaded;
        }

        foreach (var module in Secrets)
        {
            if (config[module] is JsonObject block && (string?)block["pass"] == Mask)
            {
                block["pass"] = old[module]?["pass"]?.DeepClone();
            }
        }

        return Encoding.UTF8.GetBytes(config.ToJsonString());
    }

    private string Info() =>
        $$"""{"openHASP":{"Version":"{{Version}}","Build DateTime":"2024-06-15 11:02:31","Uptime":"{{UptimeSeconds}} s"},"Wifi":{"SSID":"home","Signal Strength":"-55 dBm (Good)","IP Address":"{{Ip}}","Gateway":"127.0.0.1","MAC Address":"{{ColonMac}}"},"Module":{"Model":"ESP32-D0WD-V3","Frequency":"240 MHz"} }""";

    private async Task RebootAsync(FakeHttpExchange exchange)
    {
        await exchange.RespondAsync(200, "text/html", "<html><body>Restarting...</body></html>");
        Restart();
    }
}
