using System.Text;
using System.Text.Json.Nodes;

namespace TasmoGuardian.Testing;

/// <summary>
/// An OpenDTU (WebApi_sysstatus.cpp, WebApi_network.cpp, WebApi_file.cpp): status answers with read-only access
/// allowed, file routes that always need the admin password (<c>/api/file/*</c> from v24.11.7, <c>/api/config/*</c>
/// before), uploads that check nothing and restart the device, and the web app (index.html, 200) for any other path.
/// </summary>
public sealed class FakeOpenDtu : FakeFirmware
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly List<string> _uploaded = [];

    private FakeOpenDtu()
        : base(RandomMac("083af2"))
    {
        Password = "openDTU42";
        _files["config.json"] = Encoding.UTF8.GetBytes("""{"cfg":{"version":16777984,"save_count":17},"wifi":{"ssid":"home","password":"wifi-secret","hostname":"OpenDTU-07F614"},"mqtt":{"enabled":true,"hostname":"192.168.1.10","password":"mqtt-secret","topic":"solar/"},"security":{"password":"openDTU42","allow_readonly":true},"inverters":[{"serial":114190641177,"name":"HM-800"}]}""");
        _files["pin_mapping.json"] = Encoding.UTF8.GetBytes("""[{"name":"Generic ESP32","nrf24":{"clk":18,"cs":5,"en":4,"irq":16,"miso":19,"mosi":23}}]""");
    }

    /// <summary>"v24.11.7" and later serve /api/file/*; older releases /api/config/*.</summary>
    public string Version { get; set; } = "v24.11.7";

    public string Hostname { get; set; } = "OpenDTU-07F614";

    public bool AllowReadonly { get; set; } = true;

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

    public static FakeOpenDtu Start() => new();

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

    protected override void OnRestart()
    {
        lock (_gate)
        {
            // The firmware reads config.json and saves it again at boot: its save counter goes up.
            if (JsonNode.Parse(_files["config.json"]) is JsonObject config && config["cfg"] is JsonObject cfg)
            {
                cfg["save_count"] = ((int?)cfg["save_count"] ?? 0) + 1;
                _files["config.json"] = Encoding.UTF8.GetBytes(config.ToJsonString());
            }
        }
    }

    protected override Task HandleAsync(FakeHttpExchange exchange)
    {
        var request = exchange.Request;
        var route = string.CompareOrdinal(Version, "v24.11.7") >= 0 ? "/api/file" : "/api/config";
        if (request.Path is "/api/system/status" or "/api/network/status")
        {
            if (!AllowReadonly && !Authorized(request))
            {
                return UnauthorizedAsync(exchange);
            }

            return exchange.RespondAsync(200, "application/json", request.Path == "/api/system/status" ? SystemStatus() : NetworkStatus());
        }

        if (!request.Path.StartsWith(route + "/", StringComparison.Ordinal))
        {
            return WebAppAsync(exchange);
        }

        if (!Authorized(request))
        {
            return UnauthorizedAsync(exchange);
        }

        return request.Path[route.Length..] switch
        {
            "/list" => exchange.RespondAsync(200, "application/json", List()),
            "/get" => GetAsync(exchange),
            "/upload" when request.Method == "POST" => UploadAsync(exchange),
            _ => WebAppAsync(exchange),
        };
    }

    private string SystemStatus() =>
        $$"""{"hostname":"{{Hostname}}","sdkversion":"v4.4.7-dirty","cpufreq":240,"heap_total":237392,"chiprevision":3,"chipmodel":"ESP32-D0WD-V3","chipcores":2,"cfgsavecount":17,"config_version":"0.1.24","git_hash":"{{Version}}","git_branch":"master","pioenv":"generic_esp32","uptime":{{UptimeSeconds}},"nrf_configured":true}""";

    private string NetworkStatus() =>
        $$"""{"sta_status":true,"sta_ssid":"home","network_hostname":"{{Hostname}}","network_ip":"{{Ip}}","network_netmask":"255.0.0.0","network_mac":"{{ColonMac}}","network_mode":"Station","ap_mac":"00:00:00:00:00:00"}""";

    private string List()
    {
        lock (_gate)
        {
            return new JsonArray([.. _files.Select(f => (JsonNode)new JsonObject { ["name"] = f.Key, ["size"] = f.Value.Length })]).ToJsonString();
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

        return content is null ? exchange.RespondAsync(404, "text/plain", "Not found") : exchange.RespondAsync(200, "application/json", content);
    }

    private async Task UploadAsync(FakeHttpExchange exchange)
    {
        var name = exchange.Request.QueryValue("file");
        var part = exchange.Request.FormParts().FirstOrDefault(p => p.FileName is not null);
        if (string.IsNullOrEmpty(name) || part.Content is null)
        {
            await exchange.RespondAsync(500, "text/plain", "Invalid request");
            return;
        }

        lock (_gate)
        {
            _files[name.TrimStart('/')] = part.Content;
            _uploaded.Add(name.TrimStart('/'));
        }

        await exchange.RespondAsync(200, "text/plain", "OK");
        Restart();
    }
}
