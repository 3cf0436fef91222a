using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TasmoGuardian.Testing;

/// <summary>
/// An AhoyDTU (web/RestApi.h, web/web.h): <c>/api/system</c>; <c>/get_setup</c>, settings.json with every "pwd" value
/// blanked; <c>POST /upload</c> (field "upload"), which reads the file, keeps the current Wi-Fi password, answers
/// "Upload: success" and reboots. With an admin password, pages need a login first (<c>POST /login</c>, per address).
/// </summary>
public sealed partial class FakeAhoyDtu : FakeFirmware
{
    private readonly Lock _gate = new();
    private bool _loggedIn;

    private FakeAhoyDtu()
        : base(RandomMac("483fda"))
    {
        Password = null;
    }

    public string Version { get; set; } = "0.8.155";

    public string DeviceName { get; set; } = "AHOY-DTU";

    /// <summary>settings.json as the device keeps it, passwords in clear.</summary>
    public JsonObject Settings { get; set; } = JsonNode.Parse("""{"wifi":{"ssid":"home","pwd":"wifi-secret","ap_pwd":"esp_8266","hidd":false,"dev":"AHOY-DTU","adm":""},"nrf":{"intvl":15,"en":true},"ntp":{"addr":"pool.ntp.org","port":123},"mqtt":{"broker":"192.168.1.10","port":1883,"user":"ahoy","pwd":"mqtt-secret","topic":"inverter"},"inst":{"en":true,"iv":[{"en":true,"name":"HM-800","sn":114190641177}]}}""")!.AsObject();

    public int Uploads { get; private set; }

    public static FakeAhoyDtu Start() => new();

    protected override Task HandleAsync(FakeHttpExchange exchange)
    {
        var request = exchange.Request;
        if (request.Path == "/login" && request.Method == "POST")
        {
            var body = Encoding.UTF8.GetString(request.Body);
            lock (_gate)
            {
                _loggedIn = Password is null || body == "pwd=" + Uri.EscapeDataString(Password);
            }

            return exchange.RespondAsync(303, "text/plain", "", ("Location", "/"));
        }

        bool allowed;
        lock (_gate)
        {
            allowed = Password is null || _loggedIn;
        }

        if (!allowed && request.Path is "/get_setup" or "/upload" or "/api/system")
        {
            return exchange.RespondAsync(303, "text/plain", "", ("Location", "/login"));
        }

        return (request.Method, request.Path) switch
        {
            (_, "/api/system") => exchange.RespondAsync(200, "application/json", System()),
            (_, "/get_setup") => exchange.RespondAsync(200, "application/octet-stream", Export(), ("Content-Disposition", "attachment; filename=ahoy_setup.json")),
            ("POST", "/upload") => UploadAsync(exchange),
            _ => WebAppAsync(exchange),
        };
    }

    protected override void OnRestart()
    {
        lock (_gate)
        {
            _loggedIn = false;
        }
    }

    private string System() =>
        $$"""{"ssid":"home","device_name":"{{DeviceName}}","mac":"{{ColonMac}}","hostname":"{{DeviceName}}","pwd_set":{{(Password is null ? "false" : "true")}},"prot_mask":255,"sdk":"2.2.2-dev(38a443e)","cpu_freq":80,"generic":{"wifi_rssi":-61,"ts_uptime":{{UptimeSeconds}},"esp_type":"ESP8266","version":"{{Version}}"} }""";

    private string Export()
    {
        string text;
        lock (_gate)
        {
            text = Settings.ToJsonString();
        }

        // As onDwnldSetup does it: every "pwd": value emptied, in the text.
        return PasswordValue().Replace(text, "\"pwd\":\"\"");
    }

    private async Task UploadAsync(FakeHttpExchange exchange)
    {
        var part = exchange.Request.FormParts().FirstOrDefault(p => p.Name == "upload");
        JsonObject? uploaded = null;
        try
        {
            uploaded = part.Content is null ? null : JsonNode.Parse(part.Content) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
        }

        if (uploaded is null)
        {
            await exchange.RespondAsync(200, "text/html", "<html><body>Upload: failed<br/>rebooting ... auto reload after 20s</body></html>");
            return;
        }

        lock (_gate)
        {
            var keptWifiPassword = Settings["wifi"]?["pwd"]?.DeepClone();
            if (uploaded["wifi"] is JsonObject wifi)
            {
                wifi["pwd"] = keptWifiPassword;
            }

            Settings = uploaded;
            Uploads++;
        }

        await exchange.RespondAsync(200, "text/html", "<html><body>Upload: success<br/>rebooting ... auto reload after 20s</body></html>");
        Restart();
    }

    [GeneratedRegex("\"pwd\":\"[^\"]*\"")]
    private static partial Regex PasswordValue();
}
