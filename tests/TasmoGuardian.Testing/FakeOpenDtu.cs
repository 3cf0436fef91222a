using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace TasmoGuardian.Testing;

/// <summary>
/// An OpenDTU answering from the firmware's own answers in tests/fixtures/opendtu (WebApi_sysstatus.cpp,
/// WebApi_network.cpp, WebApi_file.cpp, WebApi_config.cpp, WebApi_webapp.cpp): status answers with read-only access
/// allowed; file routes that always need the admin password, <c>/api/file/*</c> from v24.11.7 and <c>/api/config/*</c>
/// before; uploads that check nothing and restart the device; 401 with an empty body; and the gzip-encoded web app
/// (200) for every path without a handler. Its network status tells the active interface's MAC: the Wi-Fi station MAC,
/// or in Ethernet mode the one ESP-IDF derives for Ethernet (the last byte plus 3).
/// </summary>
public sealed class FakeOpenDtu : FakeFirmware
{
    /// <summary>The firmware releases the fake answers as: the last with /api/config/*, and the newest.</summary>
    public static readonly IReadOnlyList<string> Firmwares = ["v24.10.15", "v26.3.30"];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly List<string> _uploaded = [];
    private readonly JsonObject _status;

    private FakeOpenDtu(string firmware)
        : base(RandomMac("083af2"))
    {
        Version = firmware;
        Password = "openDTU42";
        Hostname = "OpenDTU-" + Mac[^6..].ToUpperInvariant();
        _status = FirmwareFixtures.Object($"opendtu/opendtu_api_system_status_{firmware}_esp32.json");
        var config = FirmwareFixtures.Object($"opendtu/opendtu_config_{firmware}.json");

        // What the firmware derives from the chip id (the MAC's last three bytes): the MQTT client id (getApName) and the DTU serial.
        config["mqtt"]!["clientid"] = "OpenDTU-" + ChipId.ToString(CultureInfo.InvariantCulture);
        config["dtu"]!["serial"] = DtuSerial(ChipId);
        _files["config.json"] = Json(config);
        _files["pin_mapping.json"] = FirmwareFixtures.Bytes("opendtu/opendtu_pin_mapping_nodemcu_esp32.json");
    }

    /// <summary>"v24.10.15" serves /api/config/*, "v26.3.30" /api/file/*; <c>git_hash</c> says it unless <see cref="GitHash"/> is set.</summary>
    public string Version { get; }

    /// <summary>What <c>git_hash</c> says instead of the release tag (a build after a tag, "g0000000").</summary>
    public string? GitHash { get; set; }

    /// <summary>Connected by cable: the network status says "Ethernet" and the Ethernet MAC.</summary>
    public bool Ethernet { get; set; }

    /// <summary>The access point the device is connected to (Wi-Fi mode), the same for every device behind it.</summary>
    public string Bssid { get; set; } = "7A:45:58:94:4B:CA";

    public bool AllowReadonly { get; set; } = true;

    /// <summary><c>Utils::getChipId()</c>: the last three bytes of the efuse (Wi-Fi station) MAC.</summary>
    public int ChipId => int.Parse(Mac[^6..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>The MAC <c>ETH.macAddress()</c> reports: ESP-IDF's <c>ESP_MAC_ETH</c>, the efuse MAC with its last byte plus 3.</summary>
    public string EthernetMac => ColonMac[..15] + ((Convert.ToByte(Mac[^2..], 16) + 3) & 0xFF).ToString("X2", CultureInfo.InvariantCulture);

    /// <summary>The hostname: by default the firmware's "OpenDTU-%06X" of the chip id.</summary>
    public string Hostname { get; set; }

    public IReadOnlyList<string> Uploaded
    {
        get
        {
            lock (_gate)
            {
                return [.. _uploaded];
            }
        }
    }

    private string Route => Version == "v24.10.15" ? "/api/config" : "/api/file";

    public static FakeOpenDtu Start(string firmware = "v26.3.30") =>
        Firmwares.Contains(firmware) ? new(firmware) : throw new ArgumentException($"No fixtures of OpenDTU {firmware}.", nameof(firmware));

    public byte[] File(string name)
    {
        lock (_gate)
        {
            return _files[name];
        }
    }

    public void SetFile(string name, byte[] content)
    {
        lock (_gate)
        {
            _files[name] = content;
        }
    }

    /// <summary>The network status as the firmware writes it for this device now.</summary>
    public byte[] NetworkStatus()
    {
        var status = FirmwareFixtures.Object($"opendtu/opendtu_api_network_status_v26.3.30_{(Ethernet ? "ethernet" : "wifi")}.json");
        status["network_hostname"] = Hostname;
        status["network_ip"] = Ip;
        status["network_mac"] = Ethernet ? EthernetMac : ColonMac;
        status["ap_ssid"] = "OpenDTU-" + ChipId.ToString(CultureInfo.InvariantCulture);
        if (!Ethernet)
        {
            status["sta_bssid"] = Bssid;
            status["ap_mac"] = ColonMac[..15] + ((Convert.ToByte(Mac[^2..], 16) + 1) & 0xFF).ToString("X2", CultureInfo.InvariantCulture);
        }

        return Json(status);
    }

    protected override Task HandleAsync(FakeHttpExchange exchange)
    {
        var request = exchange.Request;
        if (request.Method == "GET" && request.Path is "/api/system/status" or "/api/network/status")
        {
            if (!AllowReadonly && !Authorized(request))
            {
                return RefuseAsync(exchange);
            }

            return exchange.RespondAsync(200, "application/json", request.Path == "/api/system/status" ? SystemStatus() : NetworkStatus());
        }

        var action = request.Path.StartsWith(Route + "/", StringComparison.Ordinal) ? request.Path[Route.Length..] : null;
        if ((request.Method, action) is not (("GET", "/list") or ("GET", "/get") or ("POST", "/upload")))
        {
            return WebAppGzipAsync(exchange, GitHash ?? Version);
        }

        if (!Authorized(request))
        {
            return RefuseAsync(exchange);
        }

        return action switch
        {
            "/list" => exchange.RespondAsync(200, "application/json", List()),
            "/get" => GetAsync(exchange),
            _ => UploadAsync(exchange),
        };
    }

    /// <summary>WebApi_webapp.cpp onNotFound: index.html.gz whatever the client accepts, with an ETag over it and the build.</summary>
    private static Task WebAppGzipAsync(FakeHttpExchange exchange, string build)
    {
        var page = FirmwareFixtures.Bytes("opendtu/opendtu_webapp_index_v24.10.15-v26.3.30.html.gz");
        var etag = "\"" + Convert.ToHexStringLower(MD5.HashData([.. page, .. Encoding.ASCII.GetBytes(build)])) + "\"";
        return exchange.RespondAsync(200, "text/html", page, ("Content-Encoding", "gzip"), ("Cache-Control", "public, must-revalidate"), ("ETag", etag));
    }

    /// <summary>checkCredentials: 401 with no body and no type; the browser dialog's header unless the web UI asks.</summary>
    private static Task RefuseAsync(FakeHttpExchange exchange) =>
        exchange.Request.Header("X-Requested-With") is null
            ? exchange.RespondAsync(401, null, [], ("WWW-Authenticate", "Basic realm=\"Login Required\""))
            : exchange.RespondAsync(401, null, []);

    private static long DtuSerial(int chipId)
    {
        // Utils::generateDtuSerial: 0x1999 8 01 and the chip id's last five decimal digits as hex digits.
        long serial = 0x199900000000 | 0x80000000 | 0x0100000;
        for (var i = 0; i < 5; i++)
        {
            serial |= (long)(chipId % 10) << (i * 4);
            chipId /= 10;
        }

        return serial;
    }

    private byte[] SystemStatus()
    {
        var status = _status.DeepClone().AsObject();
        status["hostname"] = Hostname;
        status["uptime"] = UptimeSeconds;
        if (GitHash is { } hash)
        {
            status["git_hash"] = hash;
        }

        lock (_gate)
        {
            if (JsonNode.Parse(_files["config.json"])?["cfg"]?["save_count"] is JsonValue saved && saved.TryGetValue<int>(out var count))
            {
                status["cfgsavecount"] = count;
            }
        }

        return Json(status);
    }

    private byte[] List()
    {
        lock (_gate)
        {
            // v24.11.7+ lists names and sizes; before, {"configs":[{"name":…}]} without sizes.
            if (Route == "/api/file")
            {
                return Json(new JsonArray([.. _files.Select(f => (JsonNode)new JsonObject { ["name"] = f.Key, ["size"] = f.Value.Length })]));
            }

            return Json(new JsonObject { ["configs"] = new JsonArray([.. _files.Keys.Select(name => (JsonNode)new JsonObject { ["name"] = name })]) });
        }
    }

    private Task GetAsync(FakeHttpExchange exchange)
    {
        var name = exchange.Request.QueryValue("file") ?? "config.json";
        byte[]? content;
        lock (_gate)
        {
            _files.TryGetValue(name.TrimStart('/'), out content);
        }

        return content is null
            ? exchange.RespondAsync(404, null, [])
            : exchange.RespondAsync(200, "application/json", content, ("Content-Disposition", $"attachment; filename=\"{name.TrimStart('/')}\""));
    }

    private async Task UploadAsync(FakeHttpExchange exchange)
    {
        // The destination is only ?file=; the part's name and file name are not read, and the content is not checked.
        var name = exchange.Request.QueryValue("file");
        var part = exchange.Request.FormParts().FirstOrDefault(p => p.FileName is not null);
        if (name is null)
        {
            await exchange.RespondAsync(500, null, []);
            return;
        }

        lock (_gate)
        {
            _files[name.TrimStart('/')] = part.Content ?? [];
            _uploaded.Add(name.TrimStart('/'));
        }

        await exchange.RespondAsync(200, "text/plain", FirmwareFixtures.Bytes("opendtu/opendtu_upload_answer_v24.10.15-v26.3.30.txt"), ("Access-Control-Allow-Origin", "*"));

        // A config.json of the running CONFIG_VERSION is read at boot and not written again: its save_count stays.
        Restart();
    }

    /// <summary>A node as the firmware sends it (FirmwareFixtures.Write), as bytes.</summary>
    private static byte[] Json(JsonNode node) => System.Text.Encoding.UTF8.GetBytes(FirmwareFixtures.Write(node));
}
