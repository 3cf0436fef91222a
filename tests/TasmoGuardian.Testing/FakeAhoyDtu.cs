using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TasmoGuardian.Testing;

/// <summary>
/// An AhoyDTU answering from the firmware's own answers in tests/fixtures/ahoydtu (web/RestApi.h, web/web.h):
/// <c>/api/system</c> flat (up to 0.8.133: a top-level "mac") or nested (0.8.134 and later: "network.mac");
/// <c>/get_setup</c>, settings.json with every "pwd" value emptied and, from 0.8, a "note" after each serial;
/// <c>POST /upload</c>, which takes any file part, keeps the current Wi-Fi password, answers "Upload: success" or
/// "Upload: failed" and reboots either way. An admin password guards only the HTML pages (a redirect to /live), never
/// /api, /get_setup or /upload; <c>/login</c> lets one address in at a time (302 to /index, else the login page, 200).
/// </summary>
public sealed partial class FakeAhoyDtu : FakeFirmware
{
    /// <summary>The shapes the fake answers in, one /api/system fixture each (tests/fixtures/ahoydtu).</summary>
    public static readonly IReadOnlyList<string> Firmwares = ["0.8.155_esp32", "0.8.155_esp8266", "0.8.83_esp8266", "0.7.36_esp8266"];

    // PROT_MASK_INDEX, _SERIAL, _SETUP, _UPDATE, _SYSTEM: the default mask 61 (settings.h).
    private static readonly string[] ProtectedPages = ["/", "/index", "/serial", "/setup", "/update", "/system"];

    private readonly Lock _gate = new();
    private readonly JsonObject _system;
    private bool _unlocked;

    private FakeAhoyDtu(string firmware)
        : base(RandomMac(firmware.EndsWith("esp32", StringComparison.Ordinal) ? "240ac4" : "483fda"))
    {
        Firmware = firmware;
        _system = FirmwareFixtures.Object($"ahoydtu/ahoydtu_api_system_{firmware}.json");

        // Only 0.8.155 settings files were built from saveSettings(); the older releases keep the ESP8266 one.
        Settings = FirmwareFixtures.Object(firmware == "0.8.155_esp32" ? "ahoydtu/ahoydtu_settings_json_0.8.155_esp32.json" : "ahoydtu/ahoydtu_settings_json_0.8.155_esp8266.json");
        Password = null;
    }

    /// <summary>"0.8.155_esp32", "0.8.155_esp8266", "0.8.83_esp8266" or "0.7.36_esp8266".</summary>
    public string Firmware { get; }

    public string Version => Firmware[..Firmware.IndexOf('_', StringComparison.Ordinal)];

    /// <summary>The nested /api/system of 0.8.134 and later.</summary>
    public bool IsNested => _system.ContainsKey("network");

    public string DeviceName { get; set; } = "AHOY-DTU";

    /// <summary>An ETHERNET build on its W5500 (esp32 only): "network.mac" is that chip's MAC, and "wired" true.</summary>
    public bool Wired { get; set; }

    /// <summary>AhoyEthernetSpi.h: the efuse MAC with the two low bits of its last byte set.</summary>
    public string WiredMac => ColonMac[..15] + (Convert.ToByte(Mac[^2..], 16) | 0x03).ToString("X2", CultureInfo.InvariantCulture);

    /// <summary>settings.json as the device keeps it, passwords in clear ("adm" follows <see cref="FakeFirmware.Password"/>).</summary>
    public JsonObject Settings { get; set; }

    public int Uploads { get; private set; }

    /// <summary>The upload cannot be written to /tmp.json (a full file system): "Upload: failed", and a reboot all the same.</summary>
    public bool UploadFileFails { get; set; }

    public static FakeAhoyDtu Start(string firmware = "0.8.155_esp32") =>
        Firmwares.Contains(firmware) ? new(firmware) : throw new ArgumentException($"No fixtures of AhoyDTU {firmware}.", nameof(firmware));

    /// <summary>onDwnldSetup's text edits: every "pwd" value emptied; from 0.8 a "note" with the hex serial after each "sn".</summary>
    public static string Export(string settings, bool notes)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var text = PasswordValue().Replace(settings, "\"pwd\":\"\"");
        if (!notes)
        {
            return text;
        }

        foreach (Match serial in SerialValue().Matches(text))
        {
            var digits = serial.Groups[1].Value;

            // A global String::replace of the digits, as the firmware does.
            text = text.Replace(digits, digits + ",\"note\":\"" + ulong.Parse(digits, CultureInfo.InvariantCulture).ToString("x", CultureInfo.InvariantCulture) + "\"", StringComparison.Ordinal);
        }

        return text;
    }

    protected override Task HandleAsync(FakeHttpExchange exchange)
    {
        var request = exchange.Request;
        return (request.Method, request.Path) switch
        {
            (_, "/login") => LoginAsync(exchange),
            ("GET", "/api/system") => exchange.RespondAsync(200, "application/json", SystemAnswer()),
            ("GET", "/get_setup") => SetupAsync(exchange),
            ("POST", "/upload") => UploadAsync(exchange),
            ("GET", var page) when ProtectedPages.Contains(page) && Locked() => exchange.RespondAsync(302, null, [], ("Location", "/live")),
            ("GET", "/" or "/index" or "/live" or "/history" or "/serial" or "/setup" or "/update" or "/system" or "/wizard") => WebAppAsync(exchange),

            // showNotFound: off to the set-up wizard.
            _ => exchange.RespondAsync(302, null, [], ("Location", "/wizard")),
        };
    }

    protected override void OnRestart()
    {
        lock (_gate)
        {
            _unlocked = false;
        }
    }

    [GeneratedRegex("\"pwd\":\"[^\"]*\"")]
    private static partial Regex PasswordValue();

    [GeneratedRegex("\"sn\":([0-9]+)")]
    private static partial Regex SerialValue();

    // Every client of a fake is on loopback: the one address the firmware would let in is that one.
    private bool Locked()
    {
        lock (_gate)
        {
            return Password is not null && !_unlocked;
        }
    }

    private Task LoginAsync(FakeHttpExchange exchange)
    {
        var request = exchange.Request;
        var form = Encoding.UTF8.GetString(request.Body);
        var arguments = (request.Query.TrimStart('?') + "&" + form).Split('&', StringSplitOptions.RemoveEmptyEntries);
        var pwd = arguments.Select(a => a.Split('=', 2)).Where(a => a[0] == "pwd").Select(a => Uri.UnescapeDataString(a.Length > 1 ? a[1].Replace('+', ' ') : "")).FirstOrDefault();
        if (arguments.Length > 0 && pwd == (Password ?? ""))
        {
            lock (_gate)
            {
                // Protection::unlock keeps one address (mWebIp): whoever logged in before is locked out again.
                _unlocked = true;
            }

            return exchange.RespondAsync(302, null, [], ("Location", Version == "0.7.36" ? "/" : "/index"));
        }

        return WebAppAsync(exchange);
    }

    private byte[] SystemAnswer()
    {
        var system = _system.DeepClone().AsObject();
        var locked = Locked();
        system["device_name"] = DeviceName;
        system["pwd_set"] = Password is not null;
        if (system["network"] is JsonObject network)
        {
            var generic = system["generic"]!.AsObject();
            generic["ts_uptime"] = UptimeSeconds;
            generic["host"] = DeviceName;
            generic["menu_prot"] = locked;
            if (Wired)
            {
                network.Remove("wifi_channel");
                network["wired"] = true;
            }

            network["mac"] = Wired ? WiredMac : ColonMac;
            network["ip"] = Ip;
        }
        else
        {
            system["mac"] = ColonMac;
            system["hostname"] = DeviceName;
            system["ts_uptime"] = UptimeSeconds;
            system["menu_prot"] = locked;
        }

        return Json(system);
    }

    private Task SetupAsync(FakeHttpExchange exchange)
    {
        string settings;
        lock (_gate)
        {
            Settings["wifi"]!["adm"] = Password ?? "";
            settings = FirmwareFixtures.Write(Settings);
        }

        var body = Export(settings, notes: Version != "0.7.36");
        var file = $"{DateTime.Now:yyyy-MM-dd_HH-mm-ss}_v{Version}_ahoy_setup.json";
        return exchange.RespondAsync(200, "application/octet-stream", body, ("Content-Description", "File Transfer"), ("Content-Disposition", "attachment; filename=" + file));
    }

    private async Task UploadAsync(FakeHttpExchange exchange)
    {
        var part = exchange.Request.FormParts().FirstOrDefault(p => p.FileName is not null);
        JsonObject? uploaded = null;
        try
        {
            uploaded = part.Content is null || UploadFileFails ? null : JsonNode.Parse(part.Content) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
        }

        if (uploaded is not null)
        {
            lock (_gate)
            {
                // The Wi-Fi password is put back after reading; "note" is not a setting and is not saved.
                if (uploaded["wifi"] is JsonObject wifi)
                {
                    wifi["pwd"] = Settings["wifi"]?["pwd"]?.DeepClone();
                    Password = (string?)wifi["adm"] is { Length: > 0 } admin ? admin : null;
                }

                foreach (var inverter in (uploaded["inst"]?["iv"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    inverter.Remove("note");
                }

                Settings = uploaded;
                Uploads++;
            }
        }

        var answer = uploaded is null ? "ahoydtu/ahoydtu_upload_answer_0.8.155_failed.html" : "ahoydtu/ahoydtu_upload_answer_0.8.155_success.html";
        await exchange.RespondAsync(200, "text/html; charset=UTF-8", FirmwareFixtures.Bytes(answer));

        // setRebootFlag() in both cases: a failed upload restarts the device too.
        Restart();
    }

    /// <summary>A node as the firmware sends it (FirmwareFixtures.Write), as bytes.</summary>
    private static byte[] Json(JsonNode node) => System.Text.Encoding.UTF8.GetBytes(FirmwareFixtures.Write(node));
}
