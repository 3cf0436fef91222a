using System.Text;
using System.Text.Json.Nodes;

namespace TasmoGuardian.Testing;

/// <summary>
/// An openHASP plate answering from the fixtures in tests/fixtures/openhasp: <c>/api/info/</c> of its release, language
/// and network (the Wifi block starts with the access point's BSSID on 0.7; Ethernet builds have no network block), the
/// file browser (<c>/list</c> without sizes), config.json served with its passwords masked ("********"), <c>/edit</c>
/// answering as its release does (0.7: 200 "Upload OK", 0.6.3: 302 to /config/hasp), <c>/reboot</c>, its MQTT discovery
/// message, and Basic auth when its web password is set. Where the passwords live is the release's: 0.7 writes the mask
/// into config.json and keeps them apart (NVS), taking a password from config.json only when it is not the mask; 0.6.3
/// keeps them in config.json, so an uploaded masked file leaves the plate without them after its restart.
/// </summary>
public sealed class FakeOpenHasp : FakeFileBrowser
{
    public const string Mask = "********";
    public const string DefaultBssid = "DC:15:C8:4E:21:07";

    // The illustrative values of the fixtures (tests/fixtures/README.md), replaced by this plate's own.
    private const string FixtureMac = "24:0A:C4:12:AB:9C";
    private const string FixtureIp = "192.168.1.42";
    private const string FixtureUptime = "1h 2m 3s";
    private const string FixtureNode = "plate";
    private const string FixtureMacTail = "12ab9c";

    private static readonly string[] Secrets = ["wifi", "mqtt", "http"];

    private readonly JsonObject _info;
    private readonly Dictionary<string, string> _kept = new(StringComparer.Ordinal);

    private FakeOpenHasp(string release, string language, bool ethernet)
        : base(RandomMac("240ac4"))
    {
        Release = release;
        _info = FirmwareFixtures.Object($"openhasp/openhasp_api_info_{release}_{language}{(ethernet ? "_ethernet" : "")}.json");

        // A plate with a display boots for seconds; it reports no uptime in seconds, so its restart is seen as it going away.
        RestartTime = TimeSpan.FromSeconds(2.5);
        var config = FirmwareFixtures.Object("openhasp/openhasp_config_json_served_0.7.0-rc13.json");
        var passwords = new Dictionary<string, string>(StringComparer.Ordinal) { ["wifi"] = "wifi-secret", ["mqtt"] = "mqtt-secret", ["http"] = "" };
        foreach (var module in Secrets)
        {
            if (KeepsPasswordsInConfig)
            {
                config[module]!["pass"] = passwords[module];
            }
            else
            {
                _kept[module] = passwords[module];
            }
        }

        SetFile("config.json", Encoding.UTF8.GetBytes(FirmwareFixtures.Write(config)));
        SetFile("pages.jsonl", "{\"page\":1,\"id\":0,\"obj\":\"btn\",\"text\":\"Lights\"}\n{\"page\":1,\"id\":1,\"obj\":\"label\",\"text\":\"Kitchen\"}\n"u8.ToArray());
        SetFile("boot.cmd", "backlight=on\n"u8.ToArray());
        SetFile("online.cmd", "jsonl {\"page\":0,\"id\":1,\"text_color\":\"green\"}\n"u8.ToArray());
        SetFile("offline.cmd", "jsonl {\"page\":0,\"id\":1,\"text_color\":\"red\"}\n"u8.ToArray());
        SetFile("fonts/roboto-24.bin", [1, 2, 3, 4, 5]);
    }

    /// <summary>The release whose answers this plate gives ("0.7.0-rc13", "0.6.3").</summary>
    public string Release { get; }

    /// <summary>openHASP before 0.7 keeps the Wi-Fi, MQTT and web passwords in config.json itself.</summary>
    public bool KeepsPasswordsInConfig => Release.StartsWith("0.6", StringComparison.Ordinal);

    /// <summary>The MAC of the access point the plate is on (its Wifi block's first key on 0.7).</summary>
    public string Bssid { get; set; } = DefaultBssid;

    /// <summary>The host name (the MQTT node name); the plates' default is "plate".</summary>
    public string Node { get; set; } = FixtureNode;

    /// <summary>The Wi-Fi station MAC as the discovery message's "hwid" writes it: 12 lower-case hex digits.</summary>
    public string Hwid => Mac;

    /// <param name="release">"0.7.0-rc13" or "0.6.3".</param>
    /// <param name="language">The build's language: "en_US", "fr_FR", "de_DE", "es_ES" (as the fixtures have them).</param>
    /// <param name="ethernet">An Ethernet build, whose /api/info/ has no network block.</param>
    public static FakeOpenHasp Start(string release = "0.7.0-rc13", string language = "en_US", bool ethernet = false) => new(release, language, ethernet);

    /// <summary>The password the plate uses for <paramref name="module"/> ("wifi", "mqtt", "http") after its last start.</summary>
    public string? StoredPassword(string module)
    {
        if (!KeepsPasswordsInConfig)
        {
            lock (Gate)
            {
                return _kept.TryGetValue(module, out var kept) ? kept : null;
            }
        }

        // v0.6.3 wifiSetConfig skips a masked value, leaving its compiled default: no password.
        var stored = (string?)JsonNode.Parse(File("config.json")!)![module]?["pass"];
        return stored == Mask ? "" : stored;
    }

    /// <summary>The <c>hasp/discovery/&lt;hwid&gt;</c> message of this plate.</summary>
    public string Discovery()
    {
        var message = FirmwareFixtures.Object("openhasp/openhasp_mqtt_discovery_0.7.0-rc13.json");
        message["node"] = Node;
        message["hwid"] = Hwid;
        message["sw"] = Release;
        message["node_t"] = $"hasp/{Node}/";
        message["uri"] = $"http://{Ip}";
        return FirmwareFixtures.Write(message);
    }

    /// <summary>The <c>/api/info/</c> answer, the fixture with this plate's values.</summary>
    public string Info()
    {
        var info = (JsonObject)_info.DeepClone();
        foreach (var (_, block) in info)
        {
            if (block is not JsonObject values)
            {
                continue;
            }

            foreach (var key in values.Select(p => p.Key).ToList())
            {
                if (values[key] is JsonValue value && value.TryGetValue<string>(out var text))
                {
                    values[key] = text switch
                    {
                        FixtureMac => ColonMac,
                        DefaultBssid => Bssid,
                        FixtureIp => Ip,
                        FixtureUptime => Uptime(UptimeSeconds),
                        _ when text.StartsWith(FixtureNode, StringComparison.Ordinal) && text.EndsWith(FixtureMacTail, StringComparison.Ordinal) =>
                            Node + text[FixtureNode.Length] + Mac[^6..],
                        _ => text,
                    };
                }
            }
        }

        return FirmwareFixtures.Write(info);
    }

    protected override Task HandleAsync(FakeHttpExchange exchange)
    {
        var request = exchange.Request;
        if (!Authorized(request))
        {
            return FirmwareFixtures.Http("openhasp/openhasp_unauthorized_0.7.0-rc13.http").WriteAsync(exchange);
        }

        return (request.Method, request.Path) switch
        {
            (_, "/api/info/") => exchange.RespondAsync(200, "application/json", Info()),
            ("GET", "/reboot") => RebootAsync(exchange),
            (_, "/list") => ListAsync(exchange),
            ("POST", "/edit") => EditAsync(exchange),
            ("GET", _) => FileAsync(exchange),
            _ => FileNotFoundAsync(exchange),
        };
    }

    protected override JsonObject ListEntry(string name, bool isDirectory, long size) => new() { ["type"] = isDirectory ? "dir" : "file", ["name"] = name };

    protected override Task NoFolderGivenAsync(FakeHttpExchange exchange) => FirmwareFixtures.Http("openhasp/openhasp_list_missing_dir_0.7.0-rc13.http").WriteAsync(exchange);

    // The folder cannot be opened, so the loop over its files ends at once (hasp_http.cpp:1357-1381).
    protected override Task NoSuchFolderAsync(FakeHttpExchange exchange) => exchange.RespondAsync(200, "text/json", "[]");

    // httpHandleInvalidRequest (hasp_http.cpp:2420-2441).
    protected override Task FileNotFoundAsync(FakeHttpExchange exchange)
    {
        var request = exchange.Request;
        var arguments = request.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries);
        var text = new StringBuilder("File not found\n\nURI: ").Append(request.Path)
            .Append("\nMethod: ").Append(request.Method)
            .Append("\nArguments: ").Append(arguments.Length).Append('\n');
        foreach (var argument in arguments)
        {
            var eq = argument.IndexOf('=', StringComparison.Ordinal);
            text.Append(' ').Append(eq < 0 ? argument : argument[..eq]).Append(": ").Append(eq < 0 ? "" : Uri.UnescapeDataString(argument[(eq + 1)..])).Append('\n');
        }

        return exchange.RespondAsync(404, "text/plain", text.ToString());
    }

    protected override Task WrittenAsync(FakeHttpExchange exchange) =>
        FirmwareFixtures.Http(KeepsPasswordsInConfig ? "openhasp/openhasp_edit_post_ok_0.6.3.http" : "openhasp/openhasp_edit_post_ok_0.7.0-rc13.http").WriteAsync(exchange);

    protected override Task NotWrittenAsync(FakeHttpExchange exchange) => FirmwareFixtures.Http("openhasp/openhasp_edit_post_open_failed_0.7.0-rc13.http").WriteAsync(exchange);

    // GET /config.json is the file parsed, its passwords masked where the keys exist, written compactly (hasp_http.cpp:1135-1148).
    protected override byte[] Serve(string path, byte[] stored)
    {
        if (!path.EndsWith("config.json", StringComparison.Ordinal) || JsonNode.Parse(stored) is not JsonObject config)
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

        if (config["wg"] is JsonObject wireguard && wireguard["privkey"] is not null)
        {
            wireguard["privkey"] = Mask;
        }

        return Encoding.UTF8.GetBytes(FirmwareFixtures.Write(config));
    }

    // 0.7 at boot: a password in config.json that is not the mask goes to NVS (hasp_wifi.cpp wifiSetConfig and its kin).
    protected override void OnRestart()
    {
        if (KeepsPasswordsInConfig || File("config.json") is not { } stored || JsonNode.Parse(stored) is not JsonObject config)
        {
            return;
        }

        lock (Gate)
        {
            foreach (var module in Secrets)
            {
                if ((string?)config[module]?["pass"] is { } password && password != Mask)
                {
                    _kept[module] = password;
                }
            }
        }
    }

    // "[<d>d ][<h>h ][<m>m ]<s>s" (hasp.cpp:730-759).
    private static string Uptime(long seconds)
    {
        var text = new StringBuilder();
        var (days, hours, minutes) = (seconds / 86400, seconds / 3600 % 24, seconds / 60 % 60);
        if (days > 0)
        {
            text.Append(days).Append("d ");
        }

        if (days > 0 || hours > 0)
        {
            text.Append(hours).Append("h ");
        }

        if (days > 0 || hours > 0 || minutes > 0)
        {
            text.Append(minutes).Append("m ");
        }

        return text.Append(seconds % 60).Append('s').ToString();
    }

    private async Task RebootAsync(FakeHttpExchange exchange)
    {
        var page = FirmwareFixtures.Text("openhasp/openhasp_reboot_0.7.0-rc13_en_US.html").Replace(">plate<", $">{Node}<", StringComparison.Ordinal);
        await exchange.RespondAsync(200, "text/html", page);
        Restart();
    }
}
