using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TasmoGuardian.Testing;

/// <summary>
/// A Tasmota device's web server on its own loopback address and port 80, answering from the fixtures of its
/// <see cref="Shape"/> (tests/fixtures/tasmota) with only its own values put in: <c>/cm?cmnd=Status 0</c>, <c>/dl</c>,
/// <c>/rs</c>, <c>/u2</c>, <c>/ufsd</c>, <c>/ufsu</c>, with Basic auth, the Referer check and the device-wide upload
/// target as the firmware has them (research FACTS §5, §7-§11). Its MQTT side lives in <see cref="FakeTasmotaFleet"/>.
/// </summary>
public sealed class FakeTasmota : IAsyncDisposable
{
    internal static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static int _count;
    private readonly FakeHttpServer? _server;

    private readonly Lock _restoreGate = new();
    private readonly List<byte[]> _uploads = [];
    private UploadTarget _target;
    private string _uploadFolder = "/";
    private long _restartedAt = System.Diagnostics.Stopwatch.GetTimestamp();
    private long _answersAgainAt;
    private bool _gone;
    private int _restarts;
    private TasmotaShape? _shape;
    private string? _hostname;

    private FakeTasmota(string mac, string name, string topic, string version, IPAddress address, FakeHttpServer? server, byte platform = 0)
    {
        Mac = mac;
        Name = name;
        Topic = topic;
        Version = version;
        Address = address;
        _server = server;
        ReportedAddress = address.ToString();
        Dump = TasmotaDumpBuilder.Build(ParseVersion(version), platform, seed: mac.GetHashCode(StringComparison.Ordinal));
    }

    /// <summary>Where the next upload goes, a flag for the whole device (Web.upload_file_type): set by the /rs and /ufsd pages.</summary>
    private enum UploadTarget
    {
        None,
        Settings,
        Folder,
    }

    /// <summary>How many times the device restarted since it was made; reported as StatusPRM.BootCount.</summary>
    public int BootCount { get; private set; } = 7;

    /// <summary>Restarts since it was made: after each accepted upload on /u2 (settings or a user file).</summary>
    public int Restarts => Volatile.Read(ref _restarts);

    /// <summary>How long it stays silent after a restore before it answers again.</summary>
    public TimeSpan RestartTime { get; set; } = TimeSpan.FromSeconds(2);

    public TasmotaRestoreBehavior RestoreBehavior { get; set; } = TasmotaRestoreBehavior.Restarts;

    /// <summary>Firmware with a file system: it keeps driver files and takes the framed dump; without, it refuses more than 4096 bytes (error 9).</summary>
    public bool KeepsDriverFiles { get; set; } = true;

    /// <summary>Its file system (<c>/ufsd</c>); null for a build without one, which answers that page with 404.</summary>
    public FakeTasmotaFileSystem? FileSystem { get; set; }

    /// <summary>The language of its web pages and /cm warnings: "en" (en_GB) or "de" (de_DE).</summary>
    public string Language { get; set; } = "en";

    /// <summary>The shape of its answers; by default the one its <see cref="Version"/> writes.</summary>
    public TasmotaShape Shape
    {
        get => _shape ?? TasmotaShape.For(Version);
        set => _shape = value;
    }

    /// <summary>
    /// The Ethernet port's address when it is up (ESP32 shapes); null: no Ethernet. Before 11.0 StatusNET then describes
    /// the Ethernet port (its MAC, address and host name "…_eth"); from 11.0 on it has its own "Ethernet" block.
    /// </summary>
    public string? EthernetAddress { get; set; }

    /// <summary>The Ethernet port's MAC (12 hex digits); by default the Wi-Fi MAC + 3, the ESP32's MAC layout.</summary>
    public string? EthernetMac { get; set; }

    /// <summary>Wi-Fi off, Ethernet only (11.0 and later): the top-level StatusNET.IPAddress is 0.0.0.0.</summary>
    public bool WifiOff { get; set; }

    /// <summary>9.2.0 only: WebLog below 2, so /cm answers a warning instead of the status (research FACTS §5).</summary>
    public bool WebLogOff { get; set; }

    /// <summary>Settings files it received on /u2 (accepted or not), in order.</summary>
    public IReadOnlyList<byte[]> Uploads
    {
        get
        {
            lock (_restoreGate)
            {
                return [.. _uploads];
            }
        }
    }

    /// <summary>Uploads that reached /u2 or /ufsu without a /rs or /ufsd page before them.</summary>
    public int UnarmedUploads { get; private set; }

    /// <summary>Uploads the device refused after it had written their driver files anyway (research §1.4).</summary>
    public int DriverFilesWrittenDespiteRejection { get; private set; }

    public string Mac { get; }

    public string Name { get; set; }

    public string Topic { get; }

    public string Version { get; set; }

    /// <summary>Its host name; by default the firmware's: the topic with every character but letters, digits and '.' as '-', then "-" and the chip id's low 13 bits.</summary>
    public string Hostname
    {
        get => _hostname ?? DefaultHostname();
        set => _hostname = value;
    }

    public IPAddress Address { get; }

    /// <summary>The address it tells over MQTT (discovery, STATUS5); a test moves the device on the network by changing it.</summary>
    public string ReportedAddress { get; set; } = string.Empty;

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

    public string MacWithColons => Colons(Mac);

    private string EthernetMacOrDefault => EthernetMac ?? (Convert.ToInt64(Mac, 16) + 3).ToString("X12", CultureInfo.InvariantCulture);

    /// <summary>
    /// A device listening on port 80 of a fresh loopback address, as real devices do; <paramref name="port"/> 0 (or
    /// <see cref="LoopbackAddresses.UnprivilegedPorts"/>) puts it on a free port of 127.0.0.1.
    /// </summary>
    public static FakeTasmota Start(string? name = null, int port = 80, string version = "13.1.0", IPAddress? address = null, string? mac = null, byte platform = 0, TasmotaShape? shape = null)
    {
        var n = Interlocked.Increment(ref _count);
        mac ??= $"A0B1C2{Random.Shared.Next(0x100000, 0xFFFFFF):X6}";
        if (port == 80 && address is null && LoopbackAddresses.UnprivilegedPorts)
        {
            port = 0;
        }

        address ??= port == 80 ? LoopbackAddresses.Next() : IPAddress.Loopback;
        FakeTasmota? device = null;
        var server = new FakeHttpServer(address, port, exchange => device!.HandleAsync(exchange));
        device = new FakeTasmota(mac, name ?? $"Plug {n}", $"tasmota_{mac[6..]}", version, address, server, platform) { _shape = shape };
        return device;
    }

    /// <summary>A device whose address accepts no connections: "connection refused".</summary>
    public static FakeTasmota Refusing(string? name = null)
    {
        var n = Interlocked.Increment(ref _count);
        var mac = $"A0B1C2{Random.Shared.Next(0x100000, 0xFFFFFF):X6}";
        return new FakeTasmota(mac, name ?? $"Plug {n}", $"tasmota_{mac[6..]}", "13.1.0", LoopbackAddresses.Next(), null);
    }

    /// <summary>
    /// Its <c>tasmota/discovery/&lt;MAC&gt;/config</c> (xdrv_12_discovery.ino TasDiscoverMessage): "mac" is always the
    /// Wi-Fi MAC (NetworkUniqueId); "ip" and "hn" are the Ethernet port's while it has an address.
    /// </summary>
    public string DiscoveryPayload()
    {
        var payload = TasmotaFixtures.Json(Shape.DiscoveryFile);
        var ethernet = EthernetAddress is not null;
        payload["ip"] = ethernet ? EthernetAddress : ReportedAddress;
        payload["dn"] = Name;
        payload["fn"]![0] = Name;
        payload["hn"] = ethernet ? EthernetHostname() : Hostname;
        payload["mac"] = Mac;
        payload["sw"] = Version;
        payload["t"] = Topic;
        payload["ft"] = FullTopic;
        return payload.ToJsonString(Compact);
    }

    /// <summary>The answer to <c>/cm?cmnd=Status%200</c>: the shape's fixture with this device's values.</summary>
    public string Status0Payload() => Status0().ToJsonString(Compact);

    /// <summary><c>stat/&lt;topic&gt;/STATUS5</c>: the StatusNET section alone, as CmndStatusResponse publishes it.</summary>
    public string Status5Payload() => Section("StatusNET");

    public string Status2Payload() => Section("StatusFWR");

    public string StatusPayload() => Section("Status");

    /// <summary><c>tele/&lt;topic&gt;/INFO1</c>: bare up to 9.3.1, wrapped in "Info1" since 9.4.0.</summary>
    public string Info1Payload()
    {
        var (root, info) = Info("INFO1");
        info["Version"] = Version + BuildSuffix(info["Version"]!.GetValue<string>());
        if (info["FallbackTopic"]?.GetValue<string>() is { } fallback && fallback.StartsWith("cmnd/DVES_", StringComparison.Ordinal))
        {
            info["FallbackTopic"] = $"cmnd/DVES_{Mac[6..]}_fb/";
        }

        return root.ToJsonString(Compact);
    }

    /// <summary>
    /// <c>tele/&lt;topic&gt;/INFO2</c> (MqttConnected): the host name and address while Wi-Fi has one, then (11.0 and
    /// later) an "Ethernet" object while the Ethernet port has one.
    /// </summary>
    public string Info2Payload()
    {
        if (WifiOff && EthernetAddress is not null && Shape.HasEthernetBlock)
        {
            var message = JsonNode.Parse(TasmotaFixtures.Message("tasmota_ethernet_only_status5_info2_15.1.0_esp32.json", "INFO2"))!.AsObject();
            var block = message["Info2"]!["Ethernet"]!;
            block["Hostname"] = EthernetHostname();
            block["IPAddress"] = EthernetAddress;
            return message.ToJsonString(Compact);
        }

        var (root, info) = Info("INFO2");
        var ethernetIsTheNetwork = EthernetAddress is not null && !Shape.HasEthernetBlock;
        info["Hostname"] = ethernetIsTheNetwork ? EthernetHostname() : Hostname;
        info["IPAddress"] = ethernetIsTheNetwork ? EthernetAddress : ReportedAddress;
        if (EthernetAddress is not null && Shape.HasEthernetBlock)
        {
            info["Ethernet"] = new JsonObject { ["Hostname"] = EthernetHostname(), ["IPAddress"] = EthernetAddress };
        }

        return root.ToJsonString(Compact);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A web page of the firmware with this device's name in the title and heading and its version in the footer.</summary>
    internal string Dress(string page, string pageRelease)
    {
        var name = HtmlEscape(Name);
        return ReplaceOnce(ReplaceOnce(ReplaceOnce(page, "<title>Tasmota", "<title>" + name), "<h2>Tasmota</h2>", $"<h2>{name}</h2>"), ">Tasmota " + pageRelease, ">Tasmota " + Version);
    }

    /// <summary>Tasmota's HtmlEscape (support.ino kEscapeCode): &amp; &gt; &lt; " ' and the backslash.</summary>
    internal static string HtmlEscape(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal)
        .Replace("'", "&apos;", StringComparison.Ordinal)
        .Replace("\\", "&#92;", StringComparison.Ordinal);

    /// <summary>Writes an answer with the status line and headers of a *.http fixture, in their order; the body chunked where the fixture says so.</summary>
    internal static Task RespondAsync(FakeHttpExchange exchange, string headFixture, byte[] body, params (string Name, string Value)[] replace) =>
        RespondWithAsync(exchange, headFixture, null, body, replace);

    /// <summary>
    /// WSContentBegin's answer (every page and /cm): <paramref name="status"/>, the content type, Server and no-cache
    /// headers (WSHeaderSend), the body chunked.
    /// </summary>
    internal Task ContentAsync(FakeHttpExchange exchange, int status, string contentType, string body) =>
        RespondWithAsync(exchange, "tasmota_cm_200_response_head_15.1.0_esp32.http", status switch { 200 => "HTTP/1.1 200 OK", 404 => "HTTP/1.1 404 Not Found", _ => $"HTTP/1.1 {status} Status" }, Encoding.UTF8.GetBytes(body), [("Content-Type", contentType), ServerHeader()]);

    private static async Task RespondWithAsync(FakeHttpExchange exchange, string headFixture, string? statusLineInstead, byte[] body, (string Name, string Value)[] replace)
    {
        var (statusLine, headers) = TasmotaFixtures.Head(headFixture);
        statusLine = statusLineInstead ?? statusLine;
        var chunked = headers.Any(h => h.Name == "Transfer-Encoding" && h.Value == "chunked");
        var head = new StringBuilder(statusLine).Append("\r\n");
        foreach (var (name, value) in headers)
        {
            var actual = name == "Content-Length" ? body.Length.ToString(CultureInfo.InvariantCulture)
                : replace.FirstOrDefault(r => r.Name == name).Value ?? value;
            head.Append(name).Append(": ").Append(actual).Append("\r\n");
        }

        head.Append("\r\n");
        await exchange.Stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), exchange.CancellationToken);
        if (chunked)
        {
            if (body.Length > 0)
            {
                await exchange.Stream.WriteAsync(Encoding.ASCII.GetBytes($"{body.Length:X}\r\n"), exchange.CancellationToken);
                await exchange.Stream.WriteAsync(body, exchange.CancellationToken);
                await exchange.Stream.WriteAsync("\r\n"u8.ToArray(), exchange.CancellationToken);
            }

            await exchange.Stream.WriteAsync("0\r\n\r\n"u8.ToArray(), exchange.CancellationToken);
        }
        else
        {
            await exchange.Stream.WriteAsync(body, exchange.CancellationToken);
        }

        await exchange.Stream.FlushAsync(exchange.CancellationToken);
    }

    internal static Task UnauthorizedAsync(FakeHttpExchange exchange) => RespondAsync(exchange, "tasmota_401_basic_response_15.1.0_esp32.http", []);

    private static string ReplaceOnce(string text, string old, string replacement)
    {
        var at = text.IndexOf(old, StringComparison.Ordinal);
        return at < 0 ? text : string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + old.Length));
    }

    private static string Colons(string mac) => string.Join(':', Enumerable.Range(0, 6).Select(i => mac.Substring(i * 2, 2)));

    /// <summary>"(tasmota)", "(release-tasmota32)": what the firmware writes after the version (image_name).</summary>
    private static string BuildSuffix(string version) => version.IndexOf('(', StringComparison.Ordinal) is var paren and >= 0 ? version[paren..] : string.Empty;

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

    /// <summary>tasmota.ino: the topic with every character but letters, digits and '.' as '-', "-", ESP_getChipId() &amp; 0x1FFF as 4 digits (the chip id is the MAC's last three bytes).</summary>
    private string DefaultHostname()
    {
        var topic = new string([.. Topic.Select(c => char.IsAsciiLetterOrDigit(c) || c == '.' ? c : '-')]);
        var chip = Convert.ToInt32(Mac[6..], 16) & 0x1FFF;
        return $"{topic}-{chip:D4}";
    }

    /// <summary>xdrv_82_esp32_ethernet.ino: the host name and "_eth" before 11.0.0.1, "-eth" since (arendst/Tasmota#14913).</summary>
    private string EthernetHostname() => Hostname + (Shape.HasEthernetBlock ? "-eth" : "_eth");

    private string Section(string name) => new JsonObject { [name] = Status0()[name]!.DeepClone() }.ToJsonString(Compact);

    private (JsonObject Root, JsonObject Info) Info(string suffix)
    {
        var root = JsonNode.Parse(TasmotaFixtures.Message(Shape.InfoFile, suffix))!.AsObject();
        var wrapper = "Info" + suffix[^1];
        return (root, root[wrapper] is JsonObject wrapped ? wrapped : root);
    }

    private JsonObject Status0()
    {
        var status0 = TasmotaFixtures.Json(Shape.Status0File);
        var status = status0["Status"]!;
        status["DeviceName"] = Name;
        if (status["FriendlyName"] is JsonArray { Count: > 0 } friendly)
        {
            friendly[0] = Name;
        }

        status["Topic"] = Topic;

        var up = System.Diagnostics.Stopwatch.GetElapsedTime(Volatile.Read(ref _restartedAt));
        var uptime = $"{(int)up.TotalDays}T{up:hh\\:mm\\:ss}";
        var parameters = status0["StatusPRM"]!;
        parameters["Uptime"] = uptime;
        parameters["BootCount"] = BootCount;

        var firmware = status0["StatusFWR"]!;
        firmware["Version"] = Version + BuildSuffix(firmware["Version"]!.GetValue<string>());

        var network = status0["StatusNET"]!.AsObject();
        if (Network(network) is var replaced && !ReferenceEquals(replaced, network))
        {
            status0["StatusNET"] = replaced;
        }

        var state = status0["StatusSTS"]!;
        state["Uptime"] = uptime;
        state["UptimeSec"] = (long)up.TotalSeconds;
        if (state["IPAddress"] is not null)
        {
            // 15.1 and later end StatusSTS with the active link's host name and address, Ethernet unless Wi-Fi has an address.
            var wifi = !WifiOff || EthernetAddress is null;
            state["Hostname"] = wifi ? Hostname : EthernetHostname();
            state["IPAddress"] = wifi ? ReportedAddress : EthernetAddress;
        }

        return status0;
    }

    /// <summary>CmndStatus's StatusNET: Wi-Fi's values on top, the Ethernet port's in its own block (11.0 and later) or on top while it is up (before).</summary>
    private JsonObject Network(JsonObject network)
    {
        if (WifiOff && EthernetAddress is not null && Shape.HasEthernetBlock)
        {
            network = JsonNode.Parse(TasmotaFixtures.Message("tasmota_ethernet_only_status5_info2_15.1.0_esp32.json", "STATUS5"))!["StatusNET"]!.AsObject();
            network.Parent?.AsObject().Remove("StatusNET");
        }
        else
        {
            network["IPAddress"] = ReportedAddress;
        }

        network["Hostname"] = Hostname;
        network["Mac"] = MacWithColons;
        network["Webserver"] = Behavior == TasmotaBehavior.HtmlPage ? 1 : 2;
        if (EthernetAddress is not null && network["Ethernet"] is JsonObject ethernet)
        {
            if (!WifiOff)
            {
                var template = JsonNode.Parse(TasmotaFixtures.Message("tasmota_ethernet_only_status5_info2_15.1.0_esp32.json", "STATUS5"))!["StatusNET"]!["Ethernet"]!.AsObject();
                template.Parent!.AsObject().Remove("Ethernet");
                network["Ethernet"] = ethernet = template;
            }

            ethernet["Hostname"] = EthernetHostname();
            ethernet["IPAddress"] = EthernetAddress;
            ethernet["Mac"] = Colons(EthernetMacOrDefault);
        }
        else if (EthernetAddress is not null && !Shape.HasEthernetBlock)
        {
            // Before 11.0 StatusNET is NetworkHostname(), NetworkAddress(), NetworkMacAddress(): the Ethernet port's while it is up.
            network["Hostname"] = EthernetHostname();
            network["IPAddress"] = EthernetAddress;
            network["Mac"] = Colons(EthernetMacOrDefault);
        }

        return network;
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

        // Restarting, or gone for good: connections are taken and closed without a word.
        if (Volatile.Read(ref _gone) || System.Diagnostics.Stopwatch.GetTimestamp() < Volatile.Read(ref _answersAgainAt))
        {
            return;
        }

        // Tasmota 15.5+: a missing or foreign Referer gets no answer at all (HttpCheckPriviledgedAccess).
        if (referer is null || !referer.StartsWith($"http://{Host}/", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        switch (request.Path)
        {
            case "/cm":
                await CommandAsync(exchange);
                return;
            case "/ufsd":
            case "/ufsu" when request.Method == "GET":
                await FileSystemAsync(exchange);
                return;
            case "/rs":
                await ArmAsync(exchange);
                return;
            case "/u2" when request.Method == "POST":
            case "/ufsu" when request.Method == "POST":
                await UploadAsync(exchange);
                return;
            case "/dl":
                await BackupAsync(exchange);
                return;
            default:
                await NotFoundAsync(exchange);
                return;
        }
    }

    /// <summary>HandleHttpCommand: Basic auth or user/password arguments; a 401 whose JSON warning is in the build's language.</summary>
    private async Task CommandAsync(FakeHttpExchange exchange)
    {
        var server = ServerHeader();
        if (!Authorized(exchange.Request, allowQuery: true))
        {
            await RespondAsync(exchange, "tasmota_cm_401_response_head_15.1.0_esp32.http", TasmotaFixtures.Bytes($"tasmota_cm_401_body_15.1.0_{Language}.json"), server);
            return;
        }

        var body = WebLogOff && Shape == TasmotaShape.V9_2_0 ? TasmotaFixtures.Bytes("tasmota_cm_weblog_warning_9.2.0_en.json") : Encoding.UTF8.GetBytes(Status0Payload());
        await RespondAsync(exchange, "tasmota_cm_200_response_head_15.1.0_esp32.http", body, server);
    }

    /// <summary>WSHeaderSend: "Tasmota/&lt;version&gt; (&lt;GetDeviceHardware()&gt;)".</summary>
    private (string Name, string Value) ServerHeader() =>
        ("Server", $"Tasmota/{Version} ({TasmotaFixtures.Json(Shape.Status0File)["StatusFWR"]!["Hardware"]!.GetValue<string>().Split(' ')[0]})");

    private async Task BackupAsync(FakeHttpExchange exchange)
    {
        var request = exchange.Request;
        if (Delay > TimeSpan.Zero)
        {
            await PreciseDelayAsync(Delay, exchange.CancellationToken);
        }

        if (WhileAnswering is { } hook)
        {
            await hook();
        }

        // settings.ino SettingsConfigFilename: Config_<host name, every character but letters and digits as '_'>_<version>.dmp
        var fileName = $"Config_{new string([.. Hostname.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')])}_{Version}.dmp";
        var disposition = ("Content-Disposition", $"attachment; filename={fileName}");
        switch (Behavior)
        {
            case TasmotaBehavior.WrongPassword:
                await UnauthorizedAsync(exchange);
                return;
            case TasmotaBehavior.HtmlPage:
                await ContentAsync(exchange, 200, "text/html", MainPage());
                return;
            case TasmotaBehavior.Hang:
                await Task.Delay(Timeout.Infinite, exchange.CancellationToken);
                return;
            case TasmotaBehavior.EmptyReply:
                return;
        }

        if (!Authorized(request, allowQuery: false))
        {
            await UnauthorizedAsync(exchange);
            return;
        }

        const string head = "tasmota_dl_response_head_15.1.0_esp32.http";
        switch (Behavior)
        {
            case TasmotaBehavior.Truncated:
                await RespondAsync(exchange, head, Dump[..(Dump.Length / 2)], disposition);
                break;
            case TasmotaBehavior.BadChecksum:
                await RespondAsync(exchange, head, TasmotaDumpBuilder.FlipBit(Dump, 1000, 3), disposition);
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
                await RespondAsync(exchange, head, Dump, disposition, ("Content-Type", "text/html"));
                break;
            default:
                await RespondAsync(exchange, head, Dump, disposition);
                break;
        }
    }

    /// <summary>
    /// HandleNotFound: 404, chunked text/plain, "File Not Found" (translated) and the request's URI, method and arguments,
    /// as the 1 MB ESP8266 build answers <c>/ufsd</c>.
    /// </summary>
    private async Task NotFoundAsync(FakeHttpExchange exchange)
    {
        var request = exchange.Request;
        var arguments = request.Query.Length == 0 ? [] : request.Query.TrimStart('?').Split('&');
        var text = new StringBuilder(TasmotaFixtures.Text("tasmota_notfound_ufsd_body_13.0.0_esp8266_en.txt"))
            .Replace("URI: /ufsd", "URI: " + request.Path)
            .Replace("Method: GET", "Method: " + request.Method)
            .Replace("Arguments: 0", "Arguments: " + arguments.Length.ToString(CultureInfo.InvariantCulture));
        if (Language == "de")
        {
            text.Replace("File Not Found", "Datei nicht gefunden");
        }

        foreach (var argument in arguments)
        {
            var eq = argument.IndexOf('=', StringComparison.Ordinal);
            text.Append(' ').Append(eq < 0 ? argument : argument[..eq]).Append(": ").Append(eq < 0 ? string.Empty : Uri.UnescapeDataString(argument[(eq + 1)..])).Append('\n');
        }

        await ContentAsync(exchange, 404, "text/plain", text.ToString());
    }

    /// <summary>GET /rs: the restore page, which arms the next upload for settings (a flag for the whole device).</summary>
    private async Task ArmAsync(FakeHttpExchange exchange)
    {
        if (Behavior == TasmotaBehavior.HtmlPage)
        {
            await ContentAsync(exchange, 200, "text/html", MainPage());
            return;
        }

        if (!Authorized(exchange.Request, allowQuery: false))
        {
            await UnauthorizedAsync(exchange);
            return;
        }

        await ContentAsync(exchange, 200, "text/html", Dress(TasmotaFixtures.Text($"tasmota_rs_page_{Shape.Pages}_{Language}.html"), Shape.PagesVersion));
        lock (_restoreGate)
        {
            _target = UploadTarget.Settings;
        }
    }

    /// <summary>GET /ufsd (and GET /ufsu): the file manager, which also points the next upload at the folder it shows.</summary>
    private async Task FileSystemAsync(FakeHttpExchange exchange)
    {
        if (FileSystem is not { } fileSystem)
        {
            await NotFoundAsync(exchange);
            return;
        }

        if (!Authorized(exchange.Request, allowQuery: false))
        {
            await UnauthorizedAsync(exchange);
            return;
        }

        if (await fileSystem.ServeAsync(exchange, this) is { } folder)
        {
            lock (_restoreGate)
            {
                _uploadFolder = folder;
                _target = UploadTarget.Folder;
            }
        }
    }

    /// <summary>
    /// POST /u2 and POST /ufsu: HandleUploadLoop takes the body first, into whatever the device was last armed for (settings
    /// after /rs, a file after /ufsd); then access is checked. /u2 answers with HandleUploadDone, which restarts the device
    /// after every accepted upload, a user file too; /ufsu with HandleUploadUFSDone (13.4 and later: a page, no restart;
    /// before: a 303 to /ufsu).
    /// </summary>
    private async Task UploadAsync(FakeHttpExchange exchange)
    {
        var request = exchange.Request;
        var viaFileManager = request.Path == "/ufsu";
        var file = request.FormParts().FirstOrDefault(p => p.FileName is not null);
        UploadTarget target;
        string folder;
        lock (_restoreGate)
        {
            target = _target;
            folder = _uploadFolder;
            if (target != UploadTarget.Folder)
            {
                _target = UploadTarget.None;
                if (file.Content is not null)
                {
                    _uploads.Add(file.Content);
                }
            }
        }

        var (error, settings) = Loop(target, folder, file.FileName, file.Content, request.QueryValue("fsz"));

        if (!Authorized(request, allowQuery: false))
        {
            await UnauthorizedAsync(exchange);
            return;
        }

        if (viaFileManager)
        {
            if (!TasmotaShape.AtLeast(Version, "13.4"))
            {
                await RespondAsync(exchange, "tasmota_ufsu_303_response_13.0.0_esp8266.http", []);
                return;
            }

            var name = error == 0 ? "success" : $"failed{error}";
            var page = $"tasmota_ufsu_{name}_15.1.0_esp32_{Language}.html";
            await ContentAsync(exchange, 200, "text/html", Dress(TasmotaFixtures.Text(File.Exists(Path.Combine(TasmotaFixtures.Folder, page)) ? page : $"tasmota_u2_{name}_15.1.0_esp32_{Language}.html"), "15.1.0"));
            return;
        }

        if (RestoreBehavior == TasmotaRestoreBehavior.NoAnswerToUpload)
        {
            return;
        }

        await ContentAsync(exchange, 200, "text/html", UploadPage(error));
        if (error == 0)
        {
            Restart(settings);
        }
    }

    /// <returns>Tasmota's upload error (0: none), and the settings to restore when it took some.</returns>
    private (int Error, byte[]? Settings) Loop(UploadTarget target, string folder, string? fileName, byte[]? content, string? announcedSize)
    {
        if (string.IsNullOrEmpty(fileName) || content is null)
        {
            return (1, null);
        }

        if (target == UploadTarget.Folder && FileSystem is { } fileSystem)
        {
            if (long.TryParse(announcedSize, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > fileSystem.FreeBytes)
            {
                return (9, null);
            }

            fileSystem.Write(folder, fileName, content);
            return (0, null);
        }

        if (target != UploadTarget.Settings)
        {
            // Not armed: the firmware's own update path, where Update.write fails without Update.begin (Not enough space).
            UnarmedUploads++;
            return (2, null);
        }

        if (content.Length > TasmotaDumpBuilder.Size && !KeepsDriverFiles)
        {
            return (9, null);
        }

        if (!TasmotaDumpBuilder.ChecksumHolds(content) || TasmotaDumpBuilder.PlatformOf(content) != TasmotaDumpBuilder.PlatformOf(Dump))
        {
            if (content.Length > TasmotaDumpBuilder.Size)
            {
                DriverFilesWrittenDespiteRejection++;
            }

            return (8, null);
        }

        return (0, content);
    }

    /// <summary>Restarts after an accepted upload; settings are restored at boot, a user file was written already.</summary>
    private void Restart(byte[]? uploaded)
    {
        lock (_restoreGate)
        {
            if (RestoreBehavior == TasmotaRestoreBehavior.NeverComesBack)
            {
                _gone = true;
                return;
            }

            if (uploaded is not null)
            {
                var restored = TasmotaDumpBuilder.AfterRestore(Dump, uploaded, ParseVersion(Version));
                Dump = RestoreBehavior == TasmotaRestoreBehavior.ComesBackDifferent
                    ? TasmotaDumpBuilder.Encode(Reset(TasmotaDumpBuilder.Settings(restored)), TasmotaDumpBuilder.DriverBytes(restored))
                    : restored;
            }

            BootCount++;
            _target = UploadTarget.None;
            _uploadFolder = "/";
            Interlocked.Increment(ref _restarts);
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            Volatile.Write(ref _answersAgainAt, now + (long)(RestartTime.TotalSeconds * System.Diagnostics.Stopwatch.Frequency));
            Volatile.Write(ref _restartedAt, now + (long)(RestartTime.TotalSeconds * System.Diagnostics.Stopwatch.Frequency));
        }
    }

    private static byte[] Reset(byte[] settings)
    {
        // Back to defaults: the user's texts (text pool) are gone.
        settings.AsSpan(0x017, 0x2D2 - 0x017).Clear();
        Encoding.ASCII.GetBytes("Tasmota\0").CopyTo(settings, 0x017);
        return settings;
    }

    /// <summary>HandleUploadDone's page for <paramref name="error"/> (0: success), from the shape's pages, else from 15.1.0's.</summary>
    private string UploadPage(int error)
    {
        var name = error == 0 ? "success" : $"failed{error}";
        var own = $"tasmota_u2_{name}_{Shape.Pages}_{Language}.html";
        return File.Exists(Path.Combine(TasmotaFixtures.Folder, own))
            ? Dress(TasmotaFixtures.Text(own), Shape.PagesVersion)
            : Dress(TasmotaFixtures.Text($"tasmota_u2_{name}_15.1.0_esp32_{Language}.html"), "15.1.0");
    }

    /// <summary>
    /// WebServer 1 (user mode): every privileged page answers with the main page. Its body depends on relays and sensors
    /// (UNCONFIRMED bytes, research FACTS §10); this keeps the shape's head (whose script names 'u2' on 15.x) and title.
    /// </summary>
    private string MainPage()
    {
        var page = TasmotaFixtures.Text($"tasmota_rs_page_{Shape.Pages}_{Language}.html");
        var body = page.IndexOf("<body>", StringComparison.Ordinal);
        var head = page[..body];
        head = head[..head.IndexOf("<title>", StringComparison.Ordinal)] + $"<title>{HtmlEscape(Name)}{(Shape.Pages.StartsWith("13", StringComparison.Ordinal) ? " - " : " ")}Main Menu</title>" + head[(head.IndexOf("</title>", StringComparison.Ordinal) + 8)..];
        return head + $"<body><div style='text-align:center;'><h2>{HtmlEscape(Name)}</h2></div></body></html>";
    }
}
