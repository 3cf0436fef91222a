using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace TasmoGuardian.Testing;

/// <summary>
/// A Tasmota device's web server on its own loopback address and port 80: <c>/dl</c> with Basic auth and the Referer
/// check as the firmware does them, and <c>/cm?cmnd=Status 0</c>. Its MQTT side lives in <see cref="FakeTasmotaFleet"/>.
/// </summary>
public sealed class FakeTasmota : IAsyncDisposable
{
    private static int _count;
    private readonly FakeHttpServer? _server;

    private FakeTasmota(string mac, string name, string topic, string version, IPAddress address, FakeHttpServer? server)
    {
        Mac = mac;
        Name = name;
        Topic = topic;
        Version = version;
        Address = address;
        _server = server;
        Dump = TasmotaDumpBuilder.Build(ParseVersion(version), seed: mac.GetHashCode(StringComparison.Ordinal));
    }

    public string Mac { get; }

    public string Name { get; set; }

    public string Topic { get; }

    public string Version { get; set; }

    public IPAddress Address { get; }

    public string Host => _server?.HostAndPort ?? Address.ToString();

    /// <summary>The device's WebPassword; null means none (no authentication).</summary>
    public string? Password { get; set; }

    public TasmotaBehavior Behavior { get; set; } = TasmotaBehavior.Ok;

    /// <summary>How long the device takes before it answers /dl.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Runs while /dl is being answered, before the answer: a test moves its clock here, or waits for a signal.</summary>
    public Func<Task>? WhileAnswering { get; set; }

    public byte[] Dump { get; set; }

    public string FullTopic { get; set; } = "%prefix%/%topic%/";

    public bool DiscoveryEnabled { get; set; } = true;

    public IReadOnlyList<FakeHttpRequest> Requests => _server?.Requests ?? [];

    public int Downloads => Requests.Count(r => r.Path == "/dl");

    /// <summary>A device listening on port 80 of a fresh loopback address, as real devices do.</summary>
    public static FakeTasmota Start(string? name = null, int port = 80, string version = "13.1.0", IPAddress? address = null, string? mac = null)
    {
        var n = Interlocked.Increment(ref _count);
        mac ??= $"A0B1C2{Random.Shared.Next(0x100000, 0xFFFFFF):X6}";
        address ??= port == 80 ? LoopbackAddresses.Next() : IPAddress.Loopback;
        FakeTasmota? device = null;
        var server = new FakeHttpServer(address, port, exchange => device!.HandleAsync(exchange));
        device = new FakeTasmota(mac, name ?? $"Plug {n}", $"tasmota_{mac[6..]}", version, address, server);
        return device;
    }

    /// <summary>A device whose address accepts no connections: "connection refused".</summary>
    public static FakeTasmota Refusing(string? name = null)
    {
        var n = Interlocked.Increment(ref _count);
        var mac = $"A0B1C2{Random.Shared.Next(0x100000, 0xFFFFFF):X6}";
        return new FakeTasmota(mac, name ?? $"Plug {n}", $"tasmota_{mac[6..]}", "13.1.0", LoopbackAddresses.Next(), null);
    }

    public string MacWithColons => string.Join(':', Enumerable.Range(0, 6).Select(i => Mac.Substring(i * 2, 2)));

    public string DiscoveryPayload() => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["ip"] = Address.ToString(),
        ["dn"] = Name,
        ["fn"] = new object?[] { Name, null, null, null, null, null, null, null },
        ["hn"] = $"{Topic}-{Mac[^4..]}",
        ["mac"] = Mac,
        ["md"] = "Sonoff Basic",
        ["ty"] = 0,
        ["if"] = 0,
        ["ofln"] = "Offline",
        ["onln"] = "Online",
        ["state"] = new[] { "OFF", "ON", "TOGGLE", "HOLD" },
        ["sw"] = Version,
        ["t"] = Topic,
        ["ft"] = FullTopic,
        ["tp"] = new[] { "cmnd", "stat", "tele" },
        ["rl"] = new[] { 1, 0, 0, 0, 0, 0, 0, 0 },
        ["swc"] = new[] { -1, -1, -1, -1, -1, -1, -1, -1 },
        ["swn"] = new object?[] { null, null, null, null, null, null, null, null },
        ["btn"] = new[] { 0, 0, 0, 0 },
        ["so"] = new Dictionary<string, int> { ["4"] = 0, ["11"] = 0, ["13"] = 0, ["17"] = 1, ["20"] = 0, ["30"] = 0, ["68"] = 0, ["73"] = 0, ["82"] = 0, ["114"] = 0 },
        ["lk"] = 1,
        ["lt_st"] = 0,
        ["sho"] = new[] { 0, 0, 0, 0 },
        ["ver"] = 1,
    });

    public string Status5Payload() =>
        $$$"""{"StatusNET":{"Hostname":"{{{Topic}}}-{{{Mac[^4..]}}}","IPAddress":"{{{Address}}}","Gateway":"127.0.0.1","Subnetmask":"255.0.0.0","DNSServer1":"127.0.0.1","DNSServer2":"0.0.0.0","Mac":"{{{MacWithColons}}}","Webserver":2,"HTTP_API":1,"WifiConfig":4,"WifiPower":17.0}}""";

    public string Status2Payload() =>
        $$$"""{"StatusFWR":{"Version":"{{{Version}}}(tasmota)","BuildDateTime":"2025-10-11T13:05:13","Boot":31,"Core":"2_7_8","SDK":"2.2.2-dev(38a443e)","CpuFrequency":80,"Hardware":"ESP8266EX","CR":"431/699"}}""";

    public string StatusPayload() =>
        $$$"""{"Status":{"Module":1,"DeviceName":"{{{Name}}}","FriendlyName":["{{{Name}}}"],"Topic":"{{{Topic}}}","ButtonTopic":"0","Power":"0","PowerOnState":3,"LedState":1,"SaveData":1,"SaveState":1,"SwitchTopic":"0","SwitchMode":[0,0,0,0,0,0,0,0],"ButtonRetain":0,"SwitchRetain":0,"SensorRetain":0,"PowerRetain":0,"InfoRetain":0,"StateRetain":0}}""";

    public string Status0Payload() =>
        $$$"""{"Status":{"Module":1,"DeviceName":"{{{Name}}}","FriendlyName":["{{{Name}}}"],"Topic":"{{{Topic}}}","ButtonTopic":"0","Power":"0","PowerOnState":3},"StatusFWR":{"Version":"{{{Version}}}(tasmota)","Hardware":"ESP8266EX"},{{{Status5Payload()[1..^1]}}}}""";

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static uint ParseVersion(string version)
    {
        var parts = version.Split('.').Select(p => uint.Parse(p, CultureInfo.InvariantCulture)).Concat([0u, 0u, 0u]).Take(4).ToArray();
        return (parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3];
    }

    /// <summary>
    /// Exactly the delay asked for: Task.Delay alone overshoots by a millisecond or two (timer granularity), which would
    /// count against the program in the fleet benchmark's ratio to N × D.
    /// </summary>
    private static async Task PreciseDelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var coarse = delay - TimeSpan.FromMilliseconds(2);
        if (coarse > TimeSpan.Zero)
        {
            await Task.Delay(coarse, cancellationToken);
        }

        // The last stretch on this thread, without hopping through the thread pool.
        while (System.Diagnostics.Stopwatch.GetElapsedTime(started) < delay)
        {
            Thread.SpinWait(200);
        }
    }

    private bool Authorized(FakeHttpRequest request, bool allowQuery)
    {
        if (Password is null)
        {
            return true;
        }

        if (allowQuery && request.QueryValue("password") == Password && request.QueryValue("user") == "admin")
        {
            return true;
        }

        var header = request.Header("Authorization");
        return header is not null && header == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{Password}"));
    }

    private async Task HandleAsync(FakeHttpExchange exchange)
    {
        var request = exchange.Request;
        var referer = request.Header("Referer");

        // Tasmota 15.5+: a missing or foreign Referer gets no answer at all (HttpCheckPriviledgedAccess).
        if (referer is null || !referer.StartsWith($"http://{Host}/", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (request.Path == "/cm")
        {
            if (!Authorized(request, allowQuery: true))
            {
                await exchange.RespondAsync(401, "application/json", """{"WARNING":"Need user=<username>&password=<password>"}""");
                return;
            }

            await exchange.RespondAsync(200, "application/json", Status0Payload());
            return;
        }

        if (request.Path != "/dl")
        {
            await exchange.RespondAsync(404, "text/plain", "Not found");
            return;
        }

        if (Delay > TimeSpan.Zero)
        {
            await PreciseDelayAsync(Delay, exchange.CancellationToken);
        }

        if (WhileAnswering is { } hook)
        {
            await hook();
        }

        var disposition = ("Content-Disposition", $"attachment; filename=Config_{Topic}_{Version}.dmp");
        switch (Behavior)
        {
            case TasmotaBehavior.WrongPassword:
                await exchange.RespondAsync(401, "text/html", [], ("WWW-Authenticate", "Basic realm=\"Login Required\""));
                return;
            case TasmotaBehavior.HtmlPage:
                await exchange.RespondAsync(200, "text/html", "<!DOCTYPE html><html lang=\"en\" class=\"\"><head><meta charset='utf-8'><title>Tasmota - Main Menu</title></head><body>Tasmota</body></html>");
                return;
            case TasmotaBehavior.Hang:
                await Task.Delay(Timeout.Infinite, exchange.CancellationToken);
                return;
            case TasmotaBehavior.EmptyReply:
                return;
        }

        if (!Authorized(request, allowQuery: false))
        {
            await exchange.RespondAsync(401, "text/html", [], ("WWW-Authenticate", "Basic realm=\"Login Required\""));
            return;
        }

        switch (Behavior)
        {
            case TasmotaBehavior.Truncated:
                await exchange.RespondAsync(200, "application/octet-stream", Dump[..(Dump.Length / 2)], disposition);
                break;
            case TasmotaBehavior.BadChecksum:
                await exchange.RespondAsync(200, "application/octet-stream", TasmotaDumpBuilder.FlipBit(Dump, 1000, 3), disposition);
                break;
            case TasmotaBehavior.DropMidBody:
                await exchange.WriteHeadAsync(200, "application/octet-stream", Dump.Length, disposition);
                await exchange.Stream.WriteAsync(Dump.AsMemory(0, 1000), exchange.CancellationToken);
                break;
            case TasmotaBehavior.Trickle:
                await exchange.WriteHeadAsync(200, "application/octet-stream", Dump.Length, disposition);
                foreach (var b in Dump)
                {
                    await exchange.Stream.WriteAsync(new[] { b }, exchange.CancellationToken);
                    await Task.Delay(1000, exchange.CancellationToken);
                }

                break;
            case TasmotaBehavior.LyingContentType:
                await exchange.RespondAsync(200, "text/html", Dump, disposition);
                break;
            default:
                await exchange.RespondAsync(200, "application/octet-stream", Dump, disposition);
                break;
        }
    }
}
