using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TasmoGuardian.Mqtt;

namespace TasmoGuardian.Testing;

/// <summary>
/// A Shelly's web server on its own loopback address and port 80, answering from captured answers of real devices
/// (tests/fixtures/shelly, <see cref="ShellyFirmware"/>) with only this device's own values put in: MAC (and the ids and
/// host names made from it), name, address, uptime, authentication. Gen1: <c>/shelly</c> open to all, the rest behind
/// Basic auth (realm "Shelly"). Gen2 and later: RPC on <c>/rpc/&lt;Method&gt;</c> (GET with JSON query values, or POST
/// with the parameters as a JSON body; method names in any case), behind a Digest challenge as the firmware sends it
/// (SHA-256, realm = the device id, no body, the nonce form of its firmware). Its configuration, scripts, KVS,
/// schedules and webhooks are kept as JSON nodes, the form the device answers them in. Optionally it announces itself
/// on MQTT as the firmware does.
/// </summary>
public sealed class FakeShelly : IAsyncDisposable
{
    private readonly FakeHttpServer _server;
    private readonly JsonObject _deviceInfo;
    private readonly JsonObject? _settings;
    private readonly JsonObject? _gen1Status;
    private readonly ConcurrentDictionary<string, long> _nonces = new(StringComparer.Ordinal);
    private readonly List<(string Method, JsonObject Parameters)> _calls = [];
    private bool _restartRequired;
    private long _startedAt = Stopwatch.GetTimestamp();
    private long _answersAgainAt;
    private int _restarts;
    private string? _password;
    private ManagedMqttClient? _mqtt;

    private FakeShelly(ShellyFirmware firmware, string mac, IPEndPoint endPoint)
    {
        Firmware = firmware;
        Mac = mac;
        Address = endPoint.Address;
        _deviceInfo = FirmwareFixtures.Object(firmware.DeviceInfo);
        Generation = (int?)_deviceInfo["gen"] ?? 1;
        _deviceInfo["mac"] = mac;
        if (Generation >= 2)
        {
            var capturedId = (string)_deviceInfo["id"]!;
            Id = $"{capturedId[..capturedId.LastIndexOf('-')]}-{mac.ToLowerInvariant()}";
            _deviceInfo["id"] = Id;
            Config = CapturedConfig();
            Status = FirmwareFixtures.Object(firmware.Status!);
            Replace(Status, (string)Status["sys"]!["mac"]!, mac);
            Status["wifi"]!["sta_ip"] = endPoint.Address.ToString();
            SeedGen2State();
        }
        else
        {
            _settings = firmware.Settings is null ? null : FirmwareFixtures.Object(firmware.Settings);
            _gen1Status = firmware.Status is null ? null : FirmwareFixtures.Object(firmware.Status);
            if (_settings is not null)
            {
                var settingsMac = (string)_settings["device"]!["mac"]!;
                Replace(_settings, settingsMac, mac);

                // Older ids carry the last six hex digits only (shellyplug-s-C38EAB).
                Replace(_settings, settingsMac[6..], mac[6..]);
                _settings["fw"] = (string?)_deviceInfo["fw"];
                _settings["build_info"]!["build_id"] = (string?)_deviceInfo["fw"];
            }

            if (_gen1Status is not null)
            {
                Replace(_gen1Status, (string)_gen1Status["mac"]!, mac);
                _gen1Status["wifi_sta"]!["ip"] = endPoint.Address.ToString();
                _gen1Status["update"]!["old_version"] = (string?)_deviceInfo["fw"];
                _gen1Status["update"]!["new_version"] = (string?)_deviceInfo["fw"];
            }

            Id = (string?)_settings?["device"]?["hostname"] ?? $"shelly1-{mac}";
            Config = [];
            Status = [];
        }

        Password = null;
        _server = new FakeHttpServer(endPoint.Address, endPoint.Port, HandleAsync);
    }

    public ShellyFirmware Firmware { get; }

    public int Generation { get; }

    /// <summary>12 upper-case hex digits, as the firmware writes its own MAC.</summary>
    public string Mac { get; }

    public IPAddress Address { get; }

    public string Host => _server.HostAndPort;

    /// <summary>Gen2+: the device id (<c>shellyplus1pm-441793d69718</c>), realm and MQTT prefix; Gen1: its host name.</summary>
    public string Id { get; }

    /// <summary>The name the device was given (Gen1 <c>/settings</c> <c>name</c>, Gen2 <c>name</c>); null: none.</summary>
    public string? Name
    {
        get => Generation >= 2 ? (string?)_deviceInfo["name"] : (string?)_settings?["name"];
        set
        {
            if (Generation >= 2)
            {
                _deviceInfo["name"] = value;
                Config["sys"]!["device"]!["name"] = value;
            }
            else if (_settings is not null)
            {
                _settings["name"] = value;
            }
        }
    }

    /// <summary>Gen2+ <c>ver</c> (setting it moves <c>fw_id</c> along when that holds the version); Gen1: null.</summary>
    public string? Version
    {
        get => (string?)_deviceInfo["ver"];
        set
        {
            if (Generation < 2 || value is null)
            {
                throw new InvalidOperationException("Only a Gen2+ fake has a \"ver\" to set.");
            }

            var old = (string)_deviceInfo["ver"]!;
            var firmwareId = ((string?)_deviceInfo["fw_id"])?.Replace("/" + old, "/" + value, StringComparison.Ordinal);
            _deviceInfo["ver"] = value;
            _deviceInfo["fw_id"] = firmwareId;
            Config["sys"]!["device"]!["fw_id"] = firmwareId;
        }
    }

    /// <summary>The web password (Gen1 login, Gen2 <c>admin</c>); null: none. The identity answers say whether one is set.</summary>
    public string? Password
    {
        get => _password;
        set
        {
            _password = value;
            if (Generation >= 2)
            {
                _deviceInfo["auth_en"] = value is not null;
                if (_deviceInfo.ContainsKey("auth_domain"))
                {
                    _deviceInfo["auth_domain"] = value is null ? null : Id;
                }
            }
            else
            {
                _deviceInfo["auth"] = value is not null;
                if (_settings?["login"] is JsonObject login)
                {
                    login["enabled"] = value is not null;
                }
            }
        }
    }

    /// <summary>Gen2: Script.GetCode never gives more than this many bytes at a time (the firmware's limit is not documented).</summary>
    public int ChunkSize { get; set; } = 1024;

    /// <summary>Gen2: KVS.GetMany items per page (firmware 1.5 and later; 11 measured on 2.0.0).</summary>
    public int KvsPageSize { get; set; } = 11;

    /// <summary>Gen2: the device has no Schedule component: Schedule.List has no handler.</summary>
    public bool WithoutSchedules { get; set; }

    /// <summary>Gen2: the device has no KVS (Wall Display): KVS.GetMany fails with -114.</summary>
    public bool WithoutKvs { get; set; }

    public ShellyBehavior Behavior { get; set; } = ShellyBehavior.Ok;

    /// <summary>How long a restart keeps the device silent.</summary>
    public TimeSpan RestartTime { get; set; } = TimeSpan.FromMilliseconds(400);

    public int Restarts => Volatile.Read(ref _restarts);

    /// <summary>Seconds since the last start, as <c>uptime</c> reports it.</summary>
    public long UptimeSeconds => Math.Max(0, (long)Stopwatch.GetElapsedTime(Volatile.Read(ref _startedAt)).TotalSeconds);

    /// <summary>Gen1: the /settings answer; null for a shape without a captured one.</summary>
    public JsonObject? Settings => _settings;

    /// <summary>Gen2: the Shelly.GetConfig answer, one node per component (<c>sys</c>, <c>mqtt</c>, <c>switch:0</c>, …).</summary>
    public JsonObject Config { get; }

    /// <summary>Gen2: the Shelly.GetStatus answer; <c>sys.uptime</c> and the store revisions are filled in when asked.</summary>
    public JsonObject Status { get; }

    /// <summary>Gen2: the Script.List entries (<c>id</c>, <c>name</c>, <c>enable</c>, <c>running</c>).</summary>
    public JsonArray Scripts { get; } = [];

    /// <summary>Gen2: each script's code by id.</summary>
    public Dictionary<long, string> ScriptCode { get; } = [];

    /// <summary>Gen2: the KVS items in the order they were set (<c>key</c>, <c>etag</c>, <c>value</c>).</summary>
    public JsonArray Kvs { get; } = [];

    public long KvsRevision { get; private set; }

    /// <summary>Gen2: the Schedule.List answer (<c>jobs</c>, and <c>rev</c> from firmware 1.0).</summary>
    public JsonObject Schedules { get; private set; } = [];

    /// <summary>Gen2: the Webhook.List answer (<c>hooks</c>, <c>rev</c>).</summary>
    public JsonObject Webhooks { get; private set; } = [];

    public IReadOnlyList<FakeHttpRequest> Requests => _server.Requests;

    /// <summary>Gen2: every RPC the device carried out (authenticated), by the method name as called, with its parameters.</summary>
    public IReadOnlyList<(string Method, JsonObject Parameters)> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>A Gen2 Plus 1PM (firmware 1.7.5) or a Gen1 Shelly 1 (v1.14.0).</summary>
    public static FakeShelly Start(int generation = 2) => Start(generation >= 2 ? ShellyFirmware.Gen2 : ShellyFirmware.Gen1);

    public static FakeShelly Start(ShellyFirmware firmware)
    {
        ArgumentNullException.ThrowIfNull(firmware);
        var mac = $"A8032A{Random.Shared.Next(0x100000, 0xFFFFFF):X6}";
        return new FakeShelly(firmware, mac, LoopbackAddresses.NextEndPoint());
    }

    /// <summary>Gen2: adds a script as Script.Create and Script.PutCode would; returns its id.</summary>
    public long AddScript(string name, string code, bool enable = false)
    {
        var id = Scripts.Select(s => (long)s!["id"]!).DefaultIfEmpty(0).Max() + 1;
        Scripts.Add(new JsonObject { ["id"] = id, ["name"] = name, ["enable"] = enable, ["running"] = false });
        AddComponent($"script:{id}", new JsonObject { ["id"] = id, ["name"] = name, ["enable"] = enable });
        ScriptCode[id] = code;
        return id;
    }

    /// <summary>Gen2: deletes a script as Script.Delete does (with its <c>script:&lt;id&gt;</c> component).</summary>
    public void RemoveScript(long id)
    {
        Scripts.Remove(Scripts.First(s => (long?)s!["id"] == id));
        Config.Remove($"script:{id}");
        ScriptCode.Remove(id);
    }

    /// <summary>
    /// Gen2: a factory reset, after which the user joined the device to the Wi-Fi again: the captured configuration with
    /// this device's values and the Wi-Fi it has now, no name, no scripts, KVS items, schedules or webhooks.
    /// </summary>
    public void FactoryReset()
    {
        var wifi = Config["wifi"]!.DeepClone();
        Config.Clear();
        foreach (var (key, value) in CapturedConfig())
        {
            Config[key] = value?.DeepClone();
        }

        Config["wifi"] = wifi;
        Name = null;
        Scripts.Clear();
        ScriptCode.Clear();
        Kvs.Clear();
        KvsRevision++;
        Schedules["jobs"] = new JsonArray();
        Webhooks["hooks"] = new JsonArray();
    }

    /// <summary>Gen2: sets a KVS item as KVS.Set does: a new etag, the store's revision moves on.</summary>
    public void SetKvs(string key, JsonNode? value)
    {
        var item = Kvs.OfType<JsonObject>().FirstOrDefault(i => (string?)i["key"] == key);
        var etag = Etag(key, value);
        if (item is null)
        {
            Kvs.Add(new JsonObject { ["key"] = key, ["etag"] = etag, ["value"] = value?.DeepClone() });
        }
        else
        {
            item["etag"] = etag;
            item["value"] = value?.DeepClone();
        }

        KvsRevision++;
    }

    /// <summary>The device reboots: silent for <see cref="RestartTime"/>, then its uptime starts again.</summary>
    public void Restart()
    {
        // At boot the enabled scripts start and the others do not run; what needed a restart is applied.
        foreach (var script in Scripts.OfType<JsonObject>())
        {
            script["running"] = (bool?)script["enable"] ?? false;
        }

        _restartRequired = false;
        Interlocked.Increment(ref _restarts);
        var back = Stopwatch.GetTimestamp() + (long)(RestartTime.TotalSeconds * Stopwatch.Frequency);
        Volatile.Write(ref _answersAgainAt, back);
        Volatile.Write(ref _startedAt, back);
    }

    /// <summary>Connects to the broker as the firmware's MQTT client does: Gen1 answers announce requests, Gen2 publishes online and answers RPC.</summary>
    public async Task ConnectAsync(MosquittoBroker broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        _mqtt = new ManagedMqttClient(new ManagedMqttClientOptions
        {
            Client = new MqttClientOptions { Host = broker.Host, Port = broker.Port, ClientId = "shelly-" + Mac, Username = broker.Username, Password = broker.Password },
            MinReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaxReconnectDelay = TimeSpan.FromSeconds(1),
        });
        if (Generation >= 2)
        {
            await _mqtt.SubscribeAsync($"{Id}/rpc", MqttQualityOfService.AtMostOnce, OnRpcAsync, CancellationToken.None);
        }
        else
        {
            await _mqtt.SubscribeAsync("shellies/command", MqttQualityOfService.AtMostOnce, OnGen1CommandAsync, CancellationToken.None);
        }

        await _mqtt.StartAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _mqtt.WaitUntilConnectedAsync(cts.Token);
        if (Generation >= 2)
        {
            await _mqtt.PublishAsync(MqttMessage.FromString($"{Id}/online", "true", MqttQualityOfService.AtLeastOnce, retain: true), CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_mqtt is not null)
        {
            await _mqtt.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    /// <summary>Every string in <paramref name="node"/> with the captured device's MAC (or short id) in either case replaced by this one's.</summary>
    private static void Replace(JsonNode? node, string captured, string own)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o.ToList())
                {
                    if (child is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        o[key] = Substitute(text, captured, own);
                    }
                    else
                    {
                        Replace(child, captured, own);
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        a[i] = Substitute(text, captured, own);
                    }
                    else
                    {
                        Replace(a[i], captured, own);
                    }
                }

                break;
        }
    }

    private static string Substitute(string text, string captured, string own) => text
        .Replace(captured.ToUpperInvariant(), own.ToUpperInvariant(), StringComparison.Ordinal)
        .Replace(captured.ToLowerInvariant(), own.ToLowerInvariant(), StringComparison.Ordinal);

    /// <summary>The device makes an item's etag itself (base64, research: <c>64qBCCQKaCeLdQ8KPW4E+JzA==</c>).</summary>
    private static string Etag(string key, JsonNode? value) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(key + "\n" + FirmwareFixtures.Write(value)))[..16]);

    private static JsonObject Error(long code, string message) => new() { ["code"] = code, ["message"] = message };

    /// <summary>The error object of the docs' -105 frame (NOT FOUND) with the message the firmware writes for a missing id.</summary>
    private static JsonObject NotFound(JsonNode? id)
    {
        var error = FirmwareFixtures.Object("shelly/shelly_gen2_rpc_frame_error_-105_doc.json")["error"]!.AsObject();
        error["message"] = $"Argument 'id', value {id?.ToJsonString() ?? "null"} not found!";
        return (JsonObject)error.DeepClone();
    }

    /// <summary>The docs' -103 frame's error object (INVALID ARGUMENT), with <paramref name="message"/>.</summary>
    private static JsonObject InvalidArgument(string message)
    {
        var error = FirmwareFixtures.Object("shelly/shelly_gen2_rpc_frame_error_-103_doc.json")["error"]!.AsObject();
        error["message"] = message;
        return (JsonObject)error.DeepClone();
    }

    /// <summary>Writes <paramref name="changes"/> into <paramref name="target"/> as a partial SetConfig does: objects key by key, everything else replaced.</summary>
    private static void Merge(JsonObject target, JsonObject changes)
    {
        foreach (var (key, value) in changes)
        {
            if (value is JsonObject inner && target[key] is JsonObject existing)
            {
                Merge(existing, inner);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    /// <summary>The captured GetConfig with this device's MAC, id (MQTT client and prefix), name and firmware put in.</summary>
    private JsonObject CapturedConfig()
    {
        var config = FirmwareFixtures.Object(ShellyFirmware.Gen2Config);
        var device = config["sys"]!["device"]!.AsObject();
        Replace(config, (string)device["mac"]!, Mac);
        device["name"] = _deviceInfo["name"]?.DeepClone();
        device["fw_id"] = (string?)_deviceInfo["fw_id"];
        config["mqtt"]!["client_id"] = Id;
        config["mqtt"]!["topic_prefix"] = Id;
        return config;
    }

    /// <summary>A component in GetConfig, where the firmware lists it: the keys in alphabetical order.</summary>
    private void AddComponent(string key, JsonObject value)
    {
        var index = 0;
        foreach (var (existing, _) in Config)
        {
            if (string.CompareOrdinal(existing, key) > 0)
            {
                break;
            }

            index++;
        }

        Config.Insert(index, key, value);
    }

    /// <summary>The firmware's major and minor version from <c>ver</c> ("1.5.0-beta2" → (1, 5)).</summary>
    private (int Major, int Minor) Release()
    {
        var parts = ((string?)_deviceInfo["ver"] ?? "0.0").Split('.', '-');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), parts.Length > 1 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var minor) ? minor : 0);
    }

    /// <summary>What the captures hold besides the answers themselves: the documented examples of each store, with a script long enough for many chunks.</summary>
    private void SeedGen2State()
    {
        foreach (var script in FirmwareFixtures.Object("shelly/shelly_gen2_script_list_doc.json")["scripts"]!.AsArray())
        {
            Scripts.Add(script!.DeepClone());

            // Each script is a component too: GetConfig lists "script:<id>" with its id, name and enable.
            AddComponent($"script:{script["id"]}", new JsonObject { ["id"] = script["id"]!.DeepClone(), ["name"] = script["name"]!.DeepClone(), ["enable"] = script["enable"]!.DeepClone() });
        }

        // Script code is the user's own text: illustrative.
        ScriptCode[1] = "let t = 0;\n" + string.Concat(Enumerable.Repeat("Shelly.call(\"Switch.Set\", {id: 0, on: t > 21});\n", 60));
        ScriptCode[2] = "print('hello');\n";
        foreach (var (key, item) in FirmwareFixtures.Object("shelly/shelly_gen2_kvs_getmany_pre1.5_map.json")["items"]!.AsObject())
        {
            Kvs.Add(new JsonObject { ["key"] = key, ["etag"] = item!["etag"]!.DeepClone(), ["value"] = item["value"]?.DeepClone() });
            KvsRevision++;
        }

        Schedules = FirmwareFixtures.Object("shelly/shelly_gen2_schedule_list_doc-0.x_no-rev.json");
        if (Release().Major >= 1)
        {
            // The revision came with firmware 1.0 (the 0.x docs show none); where it sits is not captured.
            Schedules["rev"] = (long)Schedules["jobs"]!.AsArray().Count;
        }

        Webhooks = FirmwareFixtures.Object("shelly/shelly_gen2_webhook_list_doc-fields.json");
    }

    private async ValueTask OnGen1CommandAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        if (message.PayloadAsString() == "announce")
        {
            // The fields clients read from shellies/announce (research §4.1); no capture of its bytes is in the fixtures.
            var announce = new JsonObject { ["id"] = Id, ["model"] = (string?)_deviceInfo["type"], ["mac"] = Mac, ["ip"] = Address.ToString(), ["new_fw"] = false, ["fw_ver"] = (string?)_deviceInfo["fw"] };
            await _mqtt!.PublishAsync(MqttMessage.FromString("shellies/announce", FirmwareFixtures.Write(announce), MqttQualityOfService.AtMostOnce), cancellationToken);
        }
    }

    private async ValueTask OnRpcAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        var request = JsonNode.Parse(message.PayloadAsString())!.AsObject();
        var src = (string)request["src"]!;
        var (_, result, error) = Call((string?)request["method"] ?? string.Empty, request["params"] as JsonObject ?? []);
        var reply = new JsonObject { ["id"] = request["id"]?.DeepClone(), ["src"] = Id, ["dst"] = src };
        reply[error is null ? "result" : "error"] = error ?? result;
        await _mqtt!.PublishAsync(MqttMessage.FromString($"{src}/rpc", FirmwareFixtures.Write(reply), MqttQualityOfService.AtMostOnce), cancellationToken);
    }

    private Task HandleAsync(FakeHttpExchange exchange)
    {
        if (Stopwatch.GetTimestamp() < Volatile.Read(ref _answersAgainAt))
        {
            return Task.CompletedTask;
        }

        if (exchange.Request.Path == "/shelly")
        {
            var identity = _deviceInfo.DeepClone().AsObject();
            if (Behavior == ShellyBehavior.IdentityWithoutMac)
            {
                identity.Remove("mac");
            }

            return exchange.RespondAsync(200, "application/json", FirmwareFixtures.Write(identity));
        }

        return Generation >= 2 ? Gen2Async(exchange) : Gen1Async(exchange);
    }

    private async Task Gen1Async(FakeHttpExchange exchange)
    {
        var username = (string?)_settings?["login"]?["username"] ?? "admin";
        if (Password is not null && exchange.Request.Header("Authorization") != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{Password}")))
        {
            // The realm as a Gen1 client documents it; the 401 body was never captured (the docs say text/plain).
            await exchange.RespondAsync(401, "text/plain", "401 Unauthorized", ("WWW-Authenticate", "Basic realm=\"Shelly\""));
            return;
        }

        switch (exchange.Request.Path)
        {
            case "/settings" when _settings is not null:
                await exchange.RespondAsync(200, "application/json", FirmwareFixtures.Write(_settings));
                break;
            case "/settings/actions":
                await exchange.RespondAsync(200, "application/json", FirmwareFixtures.Bytes("shelly/shelly_gen1_settings_actions_doc.json"));
                break;
            case "/status" when _gen1Status is not null:
                _gen1Status["uptime"] = UptimeSeconds;
                await exchange.RespondAsync(200, "application/json", FirmwareFixtures.Write(_gen1Status));
                break;
            case "/reboot":
                await exchange.RespondAsync(200, "application/json", FirmwareFixtures.Bytes("shelly/shelly_gen1_reboot_doc.json"));
                Restart();
                break;
            default:
                await exchange.RespondAsync(404, "text/plain", "Not Found");
                break;
        }
    }

    private async Task Gen2Async(FakeHttpExchange exchange)
    {
        var request = exchange.Request;
        var method = request.Path.StartsWith("/rpc/", StringComparison.Ordinal) ? request.Path[5..] : null;
        if (method is null)
        {
            // Like the firmware's web app: every other path is its page, with 200.
            await exchange.RespondAsync(200, "text/html", "<!DOCTYPE html><html><head><title>Shelly</title></head><body><div id=\"app\"></div></body></html>");
            return;
        }

        if (!method.Equals("Shelly.GetDeviceInfo", StringComparison.OrdinalIgnoreCase) && Password is not null && !DigestHolds(request))
        {
            await ChallengeAsync(exchange);
            return;
        }

        if (method.Equals("Shelly.GetConfig", StringComparison.OrdinalIgnoreCase) && Behavior == ShellyBehavior.HtmlWith200)
        {
            await exchange.RespondAsync(200, "text/html", "<!DOCTYPE html><html><body>Shelly</body></html>");
            return;
        }

        var (status, result, error) = Call(method, Parameters(request));
        var body = Encoding.UTF8.GetBytes(FirmwareFixtures.Write(error ?? result));
        if (method.Equals("Shelly.GetConfig", StringComparison.OrdinalIgnoreCase) && Behavior == ShellyBehavior.TruncatedJson)
        {
            body = body[..(body.Length / 2)];
        }

        await exchange.RespondAsync(status, "application/json", body);
        if (method.Equals("Shelly.Reboot", StringComparison.OrdinalIgnoreCase))
        {
            Restart();
        }
    }

    /// <summary>The parameters of an RPC over HTTP: the JSON body of a POST, else the query, whose values are JSON (<c>id=1</c>, <c>name="x"</c>, <c>config={…}</c>).</summary>
    private static JsonObject Parameters(FakeHttpRequest request)
    {
        if (request.Method == "POST" && request.Body.Length > 0)
        {
            return JsonNode.Parse(request.Body) as JsonObject ?? [];
        }

        var parameters = new JsonObject();
        foreach (var part in request.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? part : part[..eq]);
            var text = eq < 0 ? string.Empty : Uri.UnescapeDataString(part[(eq + 1)..]);
            JsonNode? value;
            try
            {
                value = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                value = text;
            }

            parameters[key] = value;
        }

        return parameters;
    }

    /// <summary>One RPC: its HTTP status, and the result or the error object as the device writes them.</summary>
    private (int Status, JsonNode? Result, JsonObject? Error) Call(string method, JsonObject parameters)
    {
        lock (_calls)
        {
            _calls.Add((method, (JsonObject)parameters.DeepClone()));
            return Carry(method, parameters);
        }
    }

    private (int Status, JsonNode? Result, JsonObject? Error) Carry(string method, JsonObject parameters)
    {
        var name = method.ToUpperInvariant();
        switch (name)
        {
            case "SHELLY.GETDEVICEINFO":
                return (200, _deviceInfo.DeepClone(), null);
            case "SHELLY.GETCONFIG":
                return (200, Config.DeepClone(), null);
            case "SHELLY.GETSTATUS":
                return (200, CurrentStatus(), null);
            case "SHELLY.REBOOT":
                // The result of Shelly.Reboot was never captured; RPC methods without a result answer null.
                return (200, null, null);
            case "SCRIPT.LIST":
                return (200, new JsonObject { ["scripts"] = Scripts.DeepClone() }, null);
            case "SCRIPT.GETCODE":
                return ScriptCodeAnswer(parameters);
            case "KVS.GETMANY" when WithoutKvs:
                return (500, null, FirmwareFixtures.Object("shelly/shelly_gen2_error_-114_WallDisplay_KVS.GetMany.json"));
            case "KVS.GETMANY":
                return (200, KvsAnswer(parameters), null);
            case "SCHEDULE.LIST" when !WithoutSchedules:
                return (200, Schedules.DeepClone(), null);
            case "WEBHOOK.LIST":
                return (200, Webhooks.DeepClone(), null);
            case "SCRIPT.CREATE":
                return CreateScript(parameters);
            case "SCRIPT.PUTCODE":
                return PutCode(parameters);
            case "SCRIPT.START" or "SCRIPT.STOP":
                return StartOrStop(parameters, name == "SCRIPT.START");
            case "KVS.SET" when !WithoutKvs:
                return SetKvsItem(parameters);
            case "SCHEDULE.DELETEALL" when !WithoutSchedules:
                return DeleteAll(Schedules, "jobs");
            case "SCHEDULE.CREATE" when !WithoutSchedules:
                return Create(Schedules, "jobs", parameters);
            case "WEBHOOK.DELETEALL":
                return DeleteAll(Webhooks, "hooks");
            case "WEBHOOK.CREATE":
                return Create(Webhooks, "hooks", parameters);
        }

        // Any component's own GetConfig and GetStatus (WiFi.GetStatus, Switch.GetConfig?id=0) are its part of the whole.
        var dot = method.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && name[(dot + 1)..] == "SETCONFIG")
        {
            return SetConfig(method[..dot].ToLowerInvariant(), parameters);
        }

        if (dot > 0 && name[(dot + 1)..] is "GETSTATUS" or "GETCONFIG")
        {
            var whole = name.EndsWith("GETSTATUS", StringComparison.Ordinal) ? CurrentStatus() : Config;
            var key = method[..dot].ToLowerInvariant() + (parameters["id"] is { } id ? ":" + id.ToJsonString() : string.Empty);
            if (whole[key] is { } part)
            {
                return (200, part.DeepClone(), null);
            }
        }

        return (404, null, Error(404, $"No handler for {method}"));
    }

    private JsonObject CurrentStatus()
    {
        var status = Status.DeepClone().AsObject();
        if (status["sys"] is JsonObject sys)
        {
            sys["uptime"] = UptimeSeconds;
            sys["restart_required"] = _restartRequired;
            foreach (var (key, revision) in new[] { ("kvs_rev", KvsRevision), ("schedule_rev", (long?)Schedules["rev"] ?? 0), ("webhook_rev", (long?)Webhooks["rev"] ?? 0) })
            {
                if (sys.ContainsKey(key))
                {
                    sys[key] = revision;
                }
            }

            if (sys.ContainsKey("cfg_rev") && Config["sys"]?["cfg_rev"] is { } configRevision)
            {
                sys["cfg_rev"] = configRevision.DeepClone();
            }
        }

        return status;
    }

    /// <summary>
    /// <c>&lt;Component&gt;.SetConfig {[id,] config}</c>: the partial config merged into the component; answered
    /// <c>{"restart_required":…}</c> as the docs show it. Which components answer true is not captured: here WS (Home
    /// Assistant's Shelly repair reboots when WS.SetConfig says so) and BLE. The cloud server may be changed by the cloud
    /// only (-107, as a config-push tool reports); a component the device does not have is -105.
    /// </summary>
    private (int, JsonNode?, JsonObject?) SetConfig(string type, JsonObject parameters)
    {
        var key = type + (parameters["id"] is { } id ? ":" + id.ToJsonString() : string.Empty);
        if (Config[key] is not JsonObject component)
        {
            return (500, null, NotFound(parameters["id"]));
        }

        if (parameters["config"] is not JsonObject config)
        {
            return (400, null, InvalidArgument("Missing required argument 'config'!"));
        }

        if (type == "cloud" && config.ContainsKey("server"))
        {
            return (500, null, Error(-107, "Permission denied: Only cloud can update!"));
        }

        Merge(component, config);
        if (type == "sys" && config["device"]?["name"] is { } name)
        {
            _deviceInfo["name"] = name.DeepClone();
        }

        if (type == "script")
        {
            var script = Scripts.OfType<JsonObject>().First(s => (long?)s["id"] == (long?)parameters["id"]);
            script["name"] = component["name"]?.DeepClone();
            script["enable"] = component["enable"]?.DeepClone();
        }

        Config["sys"]!["cfg_rev"] = ((long?)Config["sys"]!["cfg_rev"] ?? 0) + 1;
        var restart = type is "ws" or "ble";
        _restartRequired |= restart;
        var answer = FirmwareFixtures.Object(restart ? "shelly/shelly_gen2_rpc_frame_setconfig_PlusI4_restart-required.json" : "shelly/shelly_gen2_setconfig_result_doc.json");
        return (200, restart ? answer["result"]!.DeepClone() : answer, null);
    }

    /// <summary><c>Script.Create {name}</c> → <c>{"id":N}</c>: the next free id, not enabled, not running, no code.</summary>
    private (int, JsonNode?, JsonObject?) CreateScript(JsonObject parameters)
    {
        if ((string?)parameters["name"] is not { } name)
        {
            return (400, null, InvalidArgument("Missing required argument 'name'!"));
        }

        var answer = FirmwareFixtures.Object("shelly/shelly_gen2_script_create_doc.json");
        answer["id"] = AddScript(name, string.Empty);
        return (200, answer, null);
    }

    /// <summary>
    /// <c>Script.PutCode {id, code, append}</c> → <c>{"len":N}</c>, N the script's whole length in bytes after the call
    /// (fw 2.0.0). A running script's code is not replaced (a device-run report; the error's form is not captured).
    /// </summary>
    private (int, JsonNode?, JsonObject?) PutCode(JsonObject parameters)
    {
        var id = (long?)parameters["id"] ?? -1;
        if (!ScriptCode.TryGetValue(id, out var code))
        {
            return (500, null, NotFound(parameters["id"]));
        }

        if (Scripts.OfType<JsonObject>().First(s => (long?)s["id"] == id)["running"] is JsonValue running && (bool)running)
        {
            return (400, null, InvalidArgument("Script is running!"));
        }

        var piece = (string?)parameters["code"] ?? string.Empty;
        if (Behavior == ShellyBehavior.PutCodeKeepsShort && piece.Length > 1)
        {
            piece = piece[..(piece.Length / 2)];
        }

        code = ((bool?)parameters["append"] ?? false) ? code + piece : piece;
        ScriptCode[id] = code;
        var answer = FirmwareFixtures.Object("shelly/shelly_gen2_script_putcode_2.0.0_after-18-chunks.json");
        answer["len"] = Behavior == ShellyBehavior.PutCodeAnswersPieceLength ? Encoding.UTF8.GetByteCount(piece) : Encoding.UTF8.GetByteCount(code);
        return (200, answer, null);
    }

    /// <summary><c>Script.Start</c> and <c>Script.Stop</c> → <c>{"was_running":bool}</c> (ShellyScanner's response example).</summary>
    private (int, JsonNode?, JsonObject?) StartOrStop(JsonObject parameters, bool start)
    {
        if (Scripts.OfType<JsonObject>().FirstOrDefault(s => (long?)s["id"] == (long?)parameters["id"]) is not { } script)
        {
            return (500, null, NotFound(parameters["id"]));
        }

        var was = (bool?)script["running"] ?? false;
        script["running"] = start;
        return (200, new JsonObject { ["was_running"] = was }, null);
    }

    /// <summary><c>KVS.Set {key, value}</c> → <c>{etag, rev}</c>, the item's new etag and the store's revision (docs).</summary>
    private (int, JsonNode?, JsonObject?) SetKvsItem(JsonObject parameters)
    {
        if ((string?)parameters["key"] is not { } key || !parameters.ContainsKey("value"))
        {
            return (400, null, InvalidArgument("Missing required argument 'key' or 'value'!"));
        }

        SetKvs(key, parameters["value"]);
        var item = Kvs.OfType<JsonObject>().First(i => (string?)i["key"] == key);
        return (200, new JsonObject { ["etag"] = item["etag"]!.DeepClone(), ["rev"] = KvsRevision }, null);
    }

    /// <summary>Schedule.DeleteAll and Webhook.DeleteAll: their answers are not captured; methods without a result answer null.</summary>
    private static (int, JsonNode?, JsonObject?) DeleteAll(JsonObject store, string list)
    {
        store[list] = new JsonArray();
        if (store.ContainsKey("rev"))
        {
            store["rev"] = (long)store["rev"]! + 1;
        }

        return (200, null, null);
    }

    /// <summary>Schedule.Create and Webhook.Create → <c>{id, rev}</c> (docs): the device gives the id, first in the entry.</summary>
    private static (int, JsonNode?, JsonObject?) Create(JsonObject store, string list, JsonObject parameters)
    {
        var entries = store[list]!.AsArray();
        var id = entries.Select(e => (long?)e!["id"] ?? 0).DefaultIfEmpty(0).Max() + 1;
        var entry = new JsonObject { ["id"] = id };
        foreach (var (key, value) in parameters)
        {
            if (key != "id")
            {
                entry[key] = value?.DeepClone();
            }
        }

        entries.Add(entry);
        if (store.ContainsKey("rev"))
        {
            store["rev"] = (long)store["rev"]! + 1;
        }

        return (200, new JsonObject { ["id"] = id, ["rev"] = (long?)store["rev"] ?? 0 }, null);
    }

    private (int, JsonNode?, JsonObject?) ScriptCodeAnswer(JsonObject parameters)
    {
        var id = (long?)parameters["id"] ?? -1;
        if (!ScriptCode.TryGetValue(id, out var script))
        {
            // The error object's form is the docs' (-105 "Bad id=7"); its HTTP status on /rpc/<Method> was not captured.
            return (500, null, Error(-105, $"Bad id={id}"));
        }

        var code = Encoding.UTF8.GetBytes(script);
        var offset = (int?)(long?)parameters["offset"] ?? 0;
        var length = Math.Min(ChunkSize, (int?)(long?)parameters["len"] ?? ChunkSize);
        var chunk = code.AsSpan(Math.Min(offset, code.Length), Math.Max(0, Math.Min(length, code.Length - offset))).ToArray();

        // A device that stops sending part-way: the rest is still "left", but no more data comes.
        if (Behavior == ShellyBehavior.ScriptStopsShort && offset > 0)
        {
            chunk = [];
        }

        var answer = FirmwareFixtures.Object("shelly/shelly_gen2_script_getcode_2.0.0_len1.json");
        answer["data"] = Encoding.UTF8.GetString(chunk);
        answer["left"] = code.Length - Math.Min(offset, code.Length) - chunk.Length;
        return (200, answer, null);
    }

    /// <summary>Firmware before 1.5 sends every item at once as a map; 1.5 and later an array in pages.</summary>
    private JsonObject KvsAnswer(JsonObject parameters)
    {
        var (major, minor) = Release();
        if (major == 0 || (major == 1 && minor < 5))
        {
            var map = new JsonObject();
            foreach (var item in Kvs.OfType<JsonObject>())
            {
                map[(string)item["key"]!] = new JsonObject { ["etag"] = item["etag"]!.DeepClone(), ["value"] = item["value"]?.DeepClone() };
            }

            return new JsonObject { ["items"] = map };
        }

        var offset = (int?)(long?)parameters["offset"] ?? 0;
        var page = FirmwareFixtures.Object("shelly/shelly_gen2_kvs_getmany_1.5plus_items_shape.json");
        page["items"] = new JsonArray(Kvs.Skip(offset).Take(KvsPageSize).Select(i => i!.DeepClone()).ToArray());
        page["offset"] = offset;
        page["total"] = Kvs.Count;
        return page;
    }

    /// <summary>
    /// The 401 as captured: no body, <c>Content-Length: 0</c>, <c>Server: ShellyHTTP/1.0.0</c>, <c>Connection: close</c>
    /// (2.x adds <c>Cache-Control: no-store</c>); the nonce in its firmware's form: 0.x hex, 1.x the unix time, 2.x base64.
    /// </summary>
    private async Task ChallengeAsync(FakeHttpExchange exchange)
    {
        var (major, _) = Release();
        var nonce = major switch
        {
            0 => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)),
            1 => DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            _ => Convert.ToBase64String(RandomNumberGenerator.GetBytes(46)),
        };
        _nonces.TryAdd(nonce, 0);
        var capture = FirmwareFixtures.Text(major >= 2 ? "shelly/shelly_gen2_401_digest_2.x_BluGwG3.http" : "shelly/shelly_gen2_401_digest_1.x_Pro3EM.http");
        var lines = capture.Split("\r\n").Select(line => line.StartsWith("WWW-Authenticate:", StringComparison.Ordinal)
            ? $"WWW-Authenticate: Digest qop=\"auth\", realm=\"{Id}\", nonce=\"{nonce}\", algorithm=SHA-256"
            : line);
        await exchange.Stream.WriteAsync(Encoding.ASCII.GetBytes(string.Join("\r\n", lines)), exchange.CancellationToken);
        await exchange.Stream.FlushAsync(exchange.CancellationToken);
    }

    private bool DigestHolds(FakeHttpRequest request)
    {
        var header = request.Header("Authorization");
        if (header is null || !header.StartsWith("Digest ", StringComparison.Ordinal))
        {
            return false;
        }

        var values = header[7..].Split(',').Select(p => p.Trim().Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1].Trim('"'), StringComparer.OrdinalIgnoreCase);
        var nonce = values.GetValueOrDefault("nonce") ?? string.Empty;
        if (!_nonces.TryGetValue(nonce, out var lastCount)
            || !long.TryParse(values.GetValueOrDefault("nc"), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var count))
        {
            return false;
        }

        // 2.x: a nonce may be used again, each time with a higher nc, and first with nc=00000001.
        if (Release().Major >= 2 && (count <= lastCount || (lastCount == 0 && count != 1) || !_nonces.TryUpdate(nonce, count, lastCount)))
        {
            return false;
        }

        string H(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        var ha1 = H($"admin:{Id}:{Password}");
        var ha2 = H($"{request.Method}:{values.GetValueOrDefault("uri")}");
        var expected = H($"{ha1}:{nonce}:{values.GetValueOrDefault("nc")}:{values.GetValueOrDefault("cnonce")}:auth:{ha2}");
        return values.GetValueOrDefault("username") == "admin"
            && values.GetValueOrDefault("realm") == Id
            && values.GetValueOrDefault("uri") == request.Path + request.Query
            && values.GetValueOrDefault("response") == expected;
    }
}
