using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace TasmoGuardian.Testing;

/// <summary>
/// A WLED device's web server, answering from the firmware's own answers in tests/fixtures/wled: <c>/json/info</c>,
/// <c>/cfg.json</c>, <c>/presets.json</c>, the built-in 404 page for a missing file (404 text/html, gzip), and the
/// restore the Security page does (wled_server.cpp handleUpload): <c>POST /upload</c>, gated by the settings PIN (0.14+,
/// unlocked with a string <c>{"pin":…}</c> on /json/state, one global flag, a 3 s cool-down after a wrong one) or the OTA
/// lock (0.13). 0.14 and later restart after cfg.json by themselves; 0.13 when told <c>{"rb":true}</c>. cfg.json is read
/// at boot only, and a boot adds the defaults of the build's usermods that the file lacks.
/// </summary>
public sealed class FakeWled : IAsyncDisposable
{
    /// <summary>The firmware releases the fake answers as, one fixture each (tests/fixtures/wled).</summary>
    public static readonly IReadOnlyList<string> Firmwares = ["0.13.3", "0.14.4", "0.15.4", "16.0.0", "16.0.1"];

    private static readonly TimeSpan PinCooldown = TimeSpan.FromSeconds(3);

    private readonly FakeHttpServer _server;
    private readonly Lock _gate = new();
    private readonly List<string> _uploaded = [];
    private readonly JsonObject _info;
    private readonly JsonObject _usermodDefaults;
    private bool _unlocked;
    private long _wrongPinAt;
    private long _startedAt = Stopwatch.GetTimestamp();
    private long _answersAgainAt;
    private byte[]? _pendingConfig;

    private FakeWled(string firmware, string mac, IPAddress address, int port)
    {
        Version = firmware;
        Mac = mac;
        _info = FirmwareFixtures.Object(InfoFixture(firmware));
        var config = FirmwareFixtures.Object(ConfigFixture(firmware));
        _usermodDefaults = config["um"]?.DeepClone() as JsonObject ?? [];
        _server = new FakeHttpServer(address, port, HandleAsync);

        // The defaults the firmware derives from its MAC (wled.cpp: "wled-%*s", "WLED-%*s", "wled/%*s" of the last six digits).
        var suffix = mac[^6..];

        // "vid" in cfg.json is the build of the firmware that last wrote the file: this one.
        config["vid"] = _info["vid"]!.DeepClone();
        config["id"]!["name"] = Name;
        config["id"]!["mdns"] = "wled-" + suffix;
        if (config["if"]?["mqtt"] is JsonObject mqtt)
        {
            mqtt["cid"] = "WLED-" + suffix;
            mqtt["topics"]!["device"] = "wled/" + suffix;
        }

        Config = Json(config);
    }

    /// <summary>12 lower-case hex digits, as <c>info.mac</c> has it.</summary>
    public string Mac { get; }

    /// <summary>The server description (<c>info.name</c>, <c>cfg.json</c> <c>id.name</c>).</summary>
    public string Name { get; set; } = "Desk strip";

    public string Host => _server.HostAndPort;

    public IPAddress Address => _server.EndPoint.Address;

    /// <summary>The release the answers come from ("0.13.3", "0.14.4", "0.15.4", "16.0.0", "16.0.1").</summary>
    public string Version { get; }

    /// <summary>The access point's MAC in <c>info.wifi.bssid</c>; the fixture's when null.</summary>
    public string? Bssid { get; set; }

    /// <summary>The settings PIN (0.14+); null for none.</summary>
    public string? Pin { get; set; }

    /// <summary>0.13's OTA lock, which also locks uploads there.</summary>
    public bool OtaLock { get; set; }

    public TimeSpan RestartTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>After a restart the device serves this name instead of the uploaded one (a config it did not keep).</summary>
    public string? ComesBackNamed { get; set; }

    /// <summary>cfg.json as the file system holds it (the release's fixture, with this device's MAC-derived names).</summary>
    public byte[] Config { get; set; }

    /// <summary>Null: the device has no presets.json and answers with its 404 page.</summary>
    public byte[]? Presets { get; set; } = FirmwareFixtures.Bytes("wled/wled_presets_0.14.0-b1_one_preset.json");

    /// <summary>The paths uploaded, in order.</summary>
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

    public IReadOnlyList<FakeHttpRequest> Requests => _server.Requests;

    public int Restarts { get; private set; }

    public static FakeWled Start(string firmware = "0.15.4", int port = 80)
    {
        var mac = $"c8c9a3{Random.Shared.Next(0x100000, 0xFFFFFF):x6}";
        var endPoint = port == 80 ? LoopbackAddresses.NextEndPoint() : new IPEndPoint(IPAddress.Loopback, port);
        return new FakeWled(firmware, mac, endPoint.Address, endPoint.Port);
    }

    /// <summary>The /json/info fixture of a release.</summary>
    public static string InfoFixture(string firmware) => firmware switch
    {
        "0.13.3" => "wled/wled_json_info_0.13.3_esp8266.json",
        "0.14.4" => "wled/wled_json_info_0.14.4_esp32.json",
        "0.15.4" => "wled/wled_json_info_0.15.4_esp32.json",
        "16.0.0" => "wled/wled_json_info_16.0.0_esp32.json",
        "16.0.1" => "wled/wled_json_info_16.0.1_esp32.json",
        _ => throw new ArgumentException($"No /json/info fixture of WLED {firmware}.", nameof(firmware)),
    };

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    // Only 0.14.4 and 0.15.4 files were built from serializeConfig(); 0.13 and 16 serve the nearest one. The code reads
    // cfg.json's "nw" and compares values, which both have.
    private static string ConfigFixture(string firmware) =>
        firmware.StartsWith("0.13", StringComparison.Ordinal) || firmware.StartsWith("0.14", StringComparison.Ordinal)
            ? "wled/wled_cfg_0.14.4_esp8266.json"
            : "wled/wled_cfg_0.15.4_esp32.json";

    private bool IsV013 => Version.StartsWith("0.13", StringComparison.Ordinal);

    private static bool Elapsed(long since, TimeSpan span) => Stopwatch.GetElapsedTime(since) >= span;

    private Task HandleAsync(FakeHttpExchange exchange)
    {
        if (Stopwatch.GetTimestamp() < Volatile.Read(ref _answersAgainAt))
        {
            return Task.CompletedTask;
        }

        var request = exchange.Request;
        return (request.Method, request.Path) switch
        {
            (_, "/json/info") => exchange.RespondAsync(200, "application/json", Info()),
            ("POST", "/json/state") => StateAsync(exchange),
            ("POST", "/upload") => UploadAsync(exchange),
            (_, "/cfg.json") => exchange.RespondAsync(200, "application/json", Config),
            (_, "/presets.json") when Presets is { } presets => exchange.RespondAsync(200, "application/json", presets),
            _ => NotFoundAsync(exchange),
        };
    }

    // wled_server.cpp (v0.14.4 line 411): the built-in page, gzip-encoded, for every path without a handler or file.
    private static Task NotFoundAsync(FakeHttpExchange exchange) =>
        exchange.RespondAsync(404, "text/html", FirmwareFixtures.Bytes("wled/wled_404_page_0.14.4.html.gz"), ("Content-Encoding", "gzip"));

    private byte[] Info()
    {
        var info = _info.DeepClone().AsObject();
        info["name"] = Name;
        info["uptime"] = Math.Max(0, (long)Stopwatch.GetElapsedTime(Volatile.Read(ref _startedAt)).TotalSeconds);
        info["mac"] = Mac;
        info["ip"] = Address.ToString();
        if (Bssid is { } bssid && info["wifi"] is JsonObject wifi)
        {
            wifi["bssid"] = bssid;
        }

        return Json(info);
    }

    private async Task StateAsync(FakeHttpExchange exchange)
    {
        var body = JsonNode.Parse(exchange.Request.Body)?.AsObject();

        // checkSettingsPIN: a number is not a PIN (as<const char*> gives null), and within 3 s of a wrong one nothing counts.
        if (!IsV013 && body?["pin"] is JsonValue pin && pin.TryGetValue<string>(out var text))
        {
            lock (_gate)
            {
                if (_wrongPinAt == 0 || Elapsed(_wrongPinAt, PinCooldown))
                {
                    _unlocked = Pin is null || string.CompareOrdinal(text, 0, Pin, 0, 4) == 0;
                    _wrongPinAt = _unlocked ? 0 : Stopwatch.GetTimestamp();
                }
            }
        }

        // One answer, right or wrong PIN: the next upload tells.
        await exchange.RespondAsync(200, "application/json", FirmwareFixtures.Bytes("wled/wled_json_state_post_answer_0.14.4.json"));
        if (body?["rb"] is JsonValue reboot && reboot.TryGetValue<bool>(out var yes) && yes)
        {
            Restart();
        }
    }

    private async Task UploadAsync(FakeHttpExchange exchange)
    {
        var part = exchange.Request.FormParts().FirstOrDefault(p => p.FileName is not null);
        bool allowed;
        lock (_gate)
        {
            allowed = IsV013 ? !OtaLock : Pin is null || _unlocked;
        }

        if (!allowed)
        {
            await (IsV013
                ? exchange.RespondAsync(500, "text/plain", FirmwareFixtures.Bytes("wled/wled_upload_locked_answer_0.13.3.txt"))
                : exchange.RespondAsync(401, "text/plain", FirmwareFixtures.Bytes("wled/wled_upload_locked_answer_0.14.4.txt")));
            return;
        }

        var path = part.FileName ?? string.Empty;

        // 0.14 and later add a missing leading slash; 0.13 opens the name as given.
        var target = path.StartsWith('/') || IsV013 ? path : "/" + path;
        lock (_gate)
        {
            _uploaded.Add(target);
        }

        if (target == "/presets.json")
        {
            Presets = part.Content;
        }

        if (IsV013 || !target.Contains("cfg.json", StringComparison.Ordinal))
        {
            if (target.Contains("cfg.json", StringComparison.Ordinal))
            {
                lock (_gate)
                {
                    _pendingConfig = part.Content;
                }
            }

            await exchange.RespondAsync(200, "text/plain", FirmwareFixtures.Bytes(IsV013 ? "wled/wled_upload_answer_0.13.3.txt" : "wled/wled_upload_other_answer_0.14.4.txt"));
            return;
        }

        // cfg.json is read at boot: until then the old configuration is what the device serves.
        lock (_gate)
        {
            _pendingConfig = part.Content;
        }

        var answer = Version.StartsWith("0.", StringComparison.Ordinal) ? "wled/wled_upload_cfg_answer_0.14.4.txt" : "wled/wled_upload_cfg_answer_16.0.1.txt";
        await exchange.RespondAsync(200, "text/plain", FirmwareFixtures.Bytes(answer));
        Restart();
    }

    private void Restart()
    {
        lock (_gate)
        {
            if (_pendingConfig is { } config)
            {
                var node = JsonNode.Parse(config)!.AsObject();

                // cfg.cpp: a usermod whose keys the file lacks is read with its defaults, and the file saved again.
                var usermods = node["um"] as JsonObject;
                foreach (var (name, defaults) in _usermodDefaults)
                {
                    usermods ??= (JsonObject)(node["um"] = new JsonObject());
                    if (!usermods.ContainsKey(name))
                    {
                        usermods[name] = defaults!.DeepClone();
                    }
                }

                if (ComesBackNamed is { } keptName && node["id"] is JsonObject id)
                {
                    id["name"] = keptName;
                }

                Config = Json(node);
                _pendingConfig = null;
            }

            // correctPIN = !strlen(settingsPIN) at boot.
            _unlocked = false;
            _wrongPinAt = 0;
            Restarts++;
            var back = Stopwatch.GetTimestamp() + (long)(RestartTime.TotalSeconds * Stopwatch.Frequency);
            Volatile.Write(ref _answersAgainAt, back);
            Volatile.Write(ref _startedAt, back);
        }
    }

    /// <summary>A node as the firmware sends it (FirmwareFixtures.Write), as bytes.</summary>
    private static byte[] Json(JsonNode node) => System.Text.Encoding.UTF8.GetBytes(FirmwareFixtures.Write(node));
}
