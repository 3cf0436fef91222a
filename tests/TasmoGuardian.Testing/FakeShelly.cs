using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TasmoGuardian.Mqtt;

namespace TasmoGuardian.Testing;

/// <summary>
/// A Shelly's web server on its own loopback address and port 80, Gen1 or Gen2+ as the firmware behaves
/// (research §4.1, §4.2): <c>/shelly</c> open to all; Gen1 <c>/settings</c> and <c>/settings/actions</c> behind Basic
/// auth; Gen2 RPC on <c>/rpc/&lt;Method&gt;</c> behind a real Digest challenge (SHA-256, realm = the device id), scripts
/// read in chunks with <c>left</c>, KVS in pages. Optionally it announces itself on MQTT as the firmware does.
/// </summary>
public sealed class FakeShelly : IAsyncDisposable
{
    private readonly FakeHttpServer _server;
    private readonly string _nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private ManagedMqttClient? _mqtt;

    private FakeShelly(int generation, string mac, IPAddress address)
    {
        Generation = generation;
        Mac = mac;
        Address = address;
        Id = generation >= 2 ? $"shellyplus1pm-{mac.ToLowerInvariant()}" : $"shelly1-{mac[6..]}";
        _server = new FakeHttpServer(address, 80, HandleAsync);
    }

    public int Generation { get; }

    public string Mac { get; }

    public IPAddress Address { get; }

    public string Host => _server.HostAndPort;

    public string Id { get; }

    public string Name { get; set; } = "Boiler relay";

    public string Version { get; set; } = "1.4.4";

    /// <summary>The web password; null: none.</summary>
    public string? Password { get; set; }

    /// <summary>Gen2: Script.GetCode never gives more than this many bytes at a time.</summary>
    public int ChunkSize { get; set; } = 1024;

    /// <summary>Gen2 scripts by id: name and code.</summary>
    public Dictionary<int, (string Name, string Code)> Scripts { get; } = new()
    {
        [1] = ("heating.js", "let t = 0;\n" + string.Concat(Enumerable.Repeat("Shelly.call(\"Switch.Set\", {id: 0, on: t > 21});\n", 60))),
        [3] = ("night light", "print('hello');\n"),
    };

    /// <summary>Gen2 KVS items; paged by three, as firmware 1.5 and later do.</summary>
    public Dictionary<string, string> Kvs { get; } = new() { ["a"] = "1", ["b"] = "2", ["c"] = "3", ["d"] = "4", ["e"] = "5" };

    /// <summary>Gen2: the device has no Schedule component (Wall Display, some Pro models).</summary>
    public bool WithoutSchedules { get; set; }

    public ShellyBehavior Behavior { get; set; } = ShellyBehavior.Ok;

    public IReadOnlyList<FakeHttpRequest> Requests => _server.Requests;

    public static FakeShelly Start(int generation = 2)
    {
        var mac = $"A8032A{Random.Shared.Next(0x100000, 0xFFFFFF):X6}";
        return new FakeShelly(generation, mac, LoopbackAddresses.Next());
    }

    /// <summary>Connects to the broker as the firmware's MQTT client does: Gen1 answers announce requests, Gen2 publishes online and answers RPC.</summary>
    public async Task ConnectAsync(MosquittoBroker broker)
    {
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

    private string DeviceInfo() => Generation >= 2
        ? $$"""{"name":"{{Name}}","id":"{{Id}}","mac":"{{Mac}}","slot":0,"model":"SNSW-001P16EU","gen":{{Generation}},"fw_id":"20231107-164738/{{Version}}-g1e4b3f6","ver":"{{Version}}","app":"Plus1PM","auth_en":{{(Password is null ? "false" : "true")}},"auth_domain":"{{Id}}"}"""
        : $$"""{"type":"SHSW-1","mac":"{{Mac}}","auth":{{(Password is null ? "false" : "true")}},"fw":"20230913-112003/v{{Version}}@2f6c6d6d","discoverable":true,"longid":1,"num_outputs":1}""";

    private async ValueTask OnGen1CommandAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        if (message.PayloadAsString() == "announce")
        {
            await _mqtt!.PublishAsync(MqttMessage.FromString("shellies/announce", $$"""{"id":"{{Id}}","model":"SHSW-1","mac":"{{Mac}}","ip":"{{Address}}","new_fw":false,"fw_ver":"20230913-112003/v{{Version}}@2f6c6d6d"}""", MqttQualityOfService.AtMostOnce), cancellationToken);
        }
    }

    private async ValueTask OnRpcAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        var request = JsonNode.Parse(message.PayloadAsString())!.AsObject();
        var id = (long)request["id"]!;
        var src = (string)request["src"]!;
        var result = (string?)request["method"] switch
        {
            "Shelly.GetDeviceInfo" => DeviceInfo(),
            "WiFi.GetStatus" => $$"""{"sta_ip":"{{Address}}","status":"got ip","ssid":"home","rssi":-60}""",
            _ => null,
        };
        var reply = result is null
            ? $$$"""{"id":{{{id}}},"src":"{{{Id}}}","dst":"{{{src}}}","error":{"code":404,"message":"No handler"}}"""
            : $$"""{"id":{{id}},"src":"{{Id}}","dst":"{{src}}","result":{{result}}}""";
        await _mqtt!.PublishAsync(MqttMessage.FromString($"{src}/rpc", reply, MqttQualityOfService.AtMostOnce), cancellationToken);
    }

    private Task HandleAsync(FakeHttpExchange exchange)
    {
        var path = exchange.Request.Path;
        if (path == "/shelly")
        {
            return exchange.RespondAsync(200, "application/json", DeviceInfo());
        }

        return Generation >= 2 ? Gen2Async(exchange) : Gen1Async(exchange);
    }

    private async Task Gen1Async(FakeHttpExchange exchange)
    {
        if (Password is not null && exchange.Request.Header("Authorization") != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{Password}")))
        {
            await exchange.RespondAsync(401, "text/plain", "401 Unauthorized", ("WWW-Authenticate", "Basic realm=\"shelly1\""));
            return;
        }

        switch (exchange.Request.Path)
        {
            case "/settings":
                await exchange.RespondAsync(200, "application/json", $$"""{"device":{"type":"SHSW-1","mac":"{{Mac}}","hostname":"{{Id}}","num_outputs":1},"name":"{{Name}}","fw":"20230913-112003/v{{Version}}@2f6c6d6d","mqtt":{"enable":true,"server":"192.168.1.2:1883","user":"shelly"},"relays":[{"name":"Pump","default_state":"off"}]}""");
                break;
            case "/settings/actions":
                await exchange.RespondAsync(200, "application/json", """{"actions":{"out_on_url":[{"index":0,"enabled":true,"urls":["http://192.168.1.5/on"]}]}}""");
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

        if (method != "Shelly.GetDeviceInfo" && Password is not null && !DigestHolds(request))
        {
            await exchange.RespondAsync(401, "application/json", """{"code":401,"message":"Unauthorized"}""",
                ("WWW-Authenticate", $"Digest qop=\"auth\", realm=\"{Id}\", nonce=\"{_nonce}\", algorithm=SHA-256"));
            return;
        }

        switch (method)
        {
            case "Shelly.GetDeviceInfo":
                await exchange.RespondAsync(200, "application/json", DeviceInfo());
                break;
            case "Shelly.GetConfig" when Behavior == ShellyBehavior.HtmlWith200:
                await exchange.RespondAsync(200, "text/html", "<!DOCTYPE html><html><body>Shelly</body></html>");
                break;
            case "Shelly.GetConfig" when Behavior == ShellyBehavior.TruncatedJson:
                var whole = Encoding.UTF8.GetBytes(Config());
                await exchange.RespondAsync(200, "application/json", whole[..(whole.Length / 2)]);
                break;
            case "Shelly.GetConfig":
                await exchange.RespondAsync(200, "application/json", Config());
                break;
            case "Script.List":
                await exchange.RespondAsync(200, "application/json", $$"""{"scripts":[{{string.Join(",", Scripts.Select(s => $$"""{"id":{{s.Key}},"name":"{{s.Value.Name}}","enable":true,"running":false}"""))}}]}""");
                break;
            case "Script.GetCode":
                await ScriptCodeAsync(exchange);
                break;
            case "KVS.GetMany":
                var offset = int.Parse(request.QueryValue("offset") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
                var items = Kvs.Skip(offset).Take(3).Select(kv => $$"""{"key":"{{kv.Key}}","etag":"e{{kv.Key}}","value":"{{kv.Value}}"}""");
                await exchange.RespondAsync(200, "application/json", $$"""{"items":[{{string.Join(",", items)}}],"offset":{{offset}},"total":{{Kvs.Count}}}""");
                break;
            case "Schedule.List" when WithoutSchedules:
                await exchange.RespondAsync(404, "application/json", """{"code":404,"message":"No handler for Schedule.List"}""");
                break;
            case "Schedule.List":
                await exchange.RespondAsync(200, "application/json", """{"jobs":[{"id":1,"enable":true,"timespec":"0 0 7 * * MON-FRI","calls":[{"method":"Switch.Set","params":{"id":0,"on":true}}]}],"rev":3}""");
                break;
            case "Webhook.List":
                await exchange.RespondAsync(200, "application/json", """{"hooks":[{"id":1,"cid":0,"enable":true,"event":"switch.on","name":"tell the pump","urls":["http://192.168.1.5/on"]}],"rev":2}""");
                break;
            default:
                await exchange.RespondAsync(404, "application/json", $$"""{"code":404,"message":"No handler for {{method}}"}""");
                break;
        }
    }

    private string Config() =>
        "{\"ble\":{\"enable\":true},\"cloud\":{\"enable\":false},\"mqtt\":{\"enable\":true,\"server\":\"192.168.1.2:1883\",\"user\":\"shelly\"},\"switch:0\":{\"id\":0,\"name\":\"Pump\",\"initial_state\":\"off\"},\"sys\":{\"device\":{\"name\":\"" + Name + "\",\"mac\":\"" + Mac + "\",\"fw_id\":\"20231107-164738/" + Version + "-g1e4b3f6\"},\"location\":{\"tz\":\"Europe/Berlin\"}},\"wifi\":{\"sta\":{\"ssid\":\"home\",\"is_open\":false,\"enable\":true}}}";

    private async Task ScriptCodeAsync(FakeHttpExchange exchange)
    {
        var request = exchange.Request;
        var id = int.Parse(request.QueryValue("id") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        if (!Scripts.TryGetValue(id, out var script))
        {
            await exchange.RespondAsync(500, "application/json", $$"""{"code":-105,"message":"Argument 'id', value {{id}} not found!"}""");
            return;
        }

        var code = Encoding.UTF8.GetBytes(script.Code);
        var offset = int.Parse(request.QueryValue("offset") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var length = Math.Min(ChunkSize, int.Parse(request.QueryValue("len") ?? "1024", System.Globalization.CultureInfo.InvariantCulture));
        var chunk = code.AsSpan(Math.Min(offset, code.Length), Math.Max(0, Math.Min(length, code.Length - offset))).ToArray();

        // A device that stops sending part-way: the rest is still "left", but no more data comes.
        if (Behavior == ShellyBehavior.ScriptStopsShort && offset > 0)
        {
            chunk = [];
        }

        var left = code.Length - offset - chunk.Length;
        var data = new JsonObject { ["data"] = Encoding.UTF8.GetString(chunk), ["left"] = left };
        await exchange.RespondAsync(200, "application/json", data.ToJsonString());
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
        string H(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        var ha1 = H($"admin:{Id}:{Password}");
        var ha2 = H($"{request.Method}:{values.GetValueOrDefault("uri")}");
        var expected = H($"{ha1}:{_nonce}:{values.GetValueOrDefault("nc")}:{values.GetValueOrDefault("cnonce")}:auth:{ha2}");
        return values.GetValueOrDefault("username") == "admin"
            && values.GetValueOrDefault("realm") == Id
            && values.GetValueOrDefault("nonce") == _nonce
            && values.GetValueOrDefault("uri") == request.Path + request.Query
            && values.GetValueOrDefault("response") == expected;
    }
}
