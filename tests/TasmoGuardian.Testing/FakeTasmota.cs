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

    private readonly Lock _restoreGate = new();
    private readonly List<byte[]> _uploads = [];
    private bool _armed;
    private string? _uploadFolder;
    private long _restartedAt = System.Diagnostics.Stopwatch.GetTimestamp();
    private long _answersAgainAt;
    private bool _gone;

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

    /// <summary>How many times the device restarted since it was made; reported as StatusPRM.BootCount.</summary>
    public int BootCount { get; private set; } = 7;

    /// <summary>How long it stays silent after a restore before it answers again.</summary>
    public TimeSpan RestartTime { get; set; } = TimeSpan.FromSeconds(2);

    public TasmotaRestoreBehavior RestoreBehavior { get; set; } = TasmotaRestoreBehavior.Restarts;

    /// <summary>Firmware with a file system: it keeps driver files and takes the framed dump; without, it refuses more than 4096 bytes (error 9).</summary>
    public bool KeepsDriverFiles { get; set; } = true;

    /// <summary>Its file system (<c>/ufsd</c>); null for a build without one, which answers that page with 404.</summary>
    public FakeTasmotaFileSystem? FileSystem { get; set; }

    /// <summary>The language of its web pages: "en" or "de".</summary>
    public string Language { get; set; } = "en";

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

    /// <summary>Uploads that reached /u2 without a /rs before them: the firmware takes those for firmware images.</summary>
    public int UnarmedUploads { get; private set; }

    /// <summary>Uploads the device refused after it had written their driver files anyway (research §1.4).</summary>
    public int DriverFilesWrittenDespiteRejection { get; private set; }

    public string Mac { get; }

    public string Name { get; set; }

    public string Topic { get; }

    public string Version { get; set; }

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

    /// <summary>A device listening on port 80 of a fresh loopback address, as real devices do.</summary>
    public static FakeTasmota Start(string? name = null, int port = 80, string version = "13.1.0", IPAddress? address = null, string? mac = null, byte platform = 0)
    {
        var n = Interlocked.Increment(ref _count);
        mac ??= $"A0B1C2{Random.Shared.Next(0x100000, 0xFFFFFF):X6}";
        address ??= port == 80 ? LoopbackAddresses.Next() : IPAddress.Loopback;
        FakeTasmota? device = null;
        var server = new FakeHttpServer(address, port, exchange => device!.HandleAsync(exchange));
        device = new FakeTasmota(mac, name ?? $"Plug {n}", $"tasmota_{mac[6..]}", version, address, server, platform);
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
        ["ip"] = ReportedAddress,
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
        $$$"""{"StatusNET":{"Hostname":"{{{Topic}}}-{{{Mac[^4..]}}}","IPAddress":"{{{ReportedAddress}}}","Gateway":"127.0.0.1","Subnetmask":"255.0.0.0","DNSServer1":"127.0.0.1","DNSServer2":"0.0.0.0","Mac":"{{{MacWithColons}}}","Webserver":2,"HTTP_API":1,"WifiConfig":4,"WifiPower":17.0}}""";

    public string Status2Payload() =>
        $$$"""{"StatusFWR":{"Version":"{{{Version}}}(tasmota)","BuildDateTime":"2025-10-11T13:05:13","Boot":31,"Core":"2_7_8","SDK":"2.2.2-dev(38a443e)","CpuFrequency":80,"Hardware":"ESP8266EX","CR":"431/699"}}""";

    public string StatusPayload() =>
        $$$"""{"Status":{"Module":1,"DeviceName":"{{{Name}}}","FriendlyName":["{{{Name}}}"],"Topic":"{{{Topic}}}","ButtonTopic":"0","Power":"0","PowerOnState":3,"LedState":1,"SaveData":1,"SaveState":1,"SwitchTopic":"0","SwitchMode":[0,0,0,0,0,0,0,0],"ButtonRetain":0,"SwitchRetain":0,"SensorRetain":0,"PowerRetain":0,"InfoRetain":0,"StateRetain":0}}""";

    public string Status0Payload()
    {
        var up = System.Diagnostics.Stopwatch.GetElapsedTime(Volatile.Read(ref _restartedAt));
        var uptime = $"{(int)up.TotalDays}T{up:hh\\:mm\\:ss}";
        var network = Status5Payload()[1..^1].Replace("\"Webserver\":2", Behavior == TasmotaBehavior.HtmlPage ? "\"Webserver\":1" : "\"Webserver\":2", StringComparison.Ordinal);
        return $$$"""{"Status":{"Module":1,"DeviceName":"{{{Name}}}","FriendlyName":["{{{Name}}}"],"Topic":"{{{Topic}}}","ButtonTopic":"0","Power":"0","PowerOnState":3},"StatusPRM":{"Baudrate":115200,"GroupTopic":"tasmotas","RestartReason":"Software/System restart","Uptime":"{{{uptime}}}","BootCount":{{{BootCount}}},"CfgHolder":4617},"StatusFWR":{"Version":"{{{Version}}}(tasmota)","Hardware":"ESP8266EX"},{{{network}}}}""";
    }

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

        if (request.Path == "/ufsd")
        {
            await FileSystemAsync(exchange);
            return;
        }

        if (request.Path == "/rs")
        {
            await ArmAsync(exchange);
            return;
        }

        if (request.Path == "/u2" && request.Method == "POST")
        {
            await UploadAsync(exchange);
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

    /// <summary>GET /rs: the restore page, which arms the next /u2 for settings (a flag for the whole device).</summary>
    private async Task ArmAsync(FakeHttpExchange exchange)
    {
        if (Behavior == TasmotaBehavior.HtmlPage)
        {
            await exchange.RespondAsync(200, "text/html", "<!DOCTYPE html><html><head><title>Tasmota - Main Menu</title></head><body>Tasmota</body></html>");
            return;
        }

        if (!Authorized(exchange.Request, allowQuery: false))
        {
            await exchange.RespondAsync(401, "text/html", [], ("WWW-Authenticate", "Basic realm=\"Login Required\""));
            return;
        }

        lock (_restoreGate)
        {
            _armed = true;
            _uploadFolder = null;
        }

        await exchange.RespondAsync(200, "text/html", "<!DOCTYPE html><html><body><fieldset><legend><b>&nbsp;Restore Configuration&nbsp;</b></legend><form method='post' action='u2?fsz=' enctype='multipart/form-data'><input type='file' name='u2'><button type='submit'>Start Restore</button></form></fieldset></body></html>");
    }

    /// <summary>GET /ufsd: the file manager, which also points the next /u2 at the folder it shows (Web.upload_file_type).</summary>
    private async Task FileSystemAsync(FakeHttpExchange exchange)
    {
        if (!Authorized(exchange.Request, allowQuery: false))
        {
            await exchange.RespondAsync(401, "text/html", [], ("WWW-Authenticate", "Basic realm=\"Login Required\""));
            return;
        }

        if (FileSystem is not { } fileSystem)
        {
            await exchange.RespondAsync(404, "text/plain", "File Not Found");
            return;
        }

        if (await fileSystem.ServeAsync(exchange) is { } folder)
        {
            lock (_restoreGate)
            {
                _uploadFolder = folder;
                _armed = false;
            }
        }
    }

    /// <summary>POST /u2 as HandleUploadLoop and HandleUploadDone do it: the body is taken first, access checked after, HTTP 200 either way.</summary>
    private async Task UploadAsync(FakeHttpExchange exchange)
    {
        var request = exchange.Request;
        var file = request.FormParts().FirstOrDefault(p => p.FileName is not null);
        bool armed;
        string? folder;
        lock (_restoreGate)
        {
            armed = _armed;
            folder = _uploadFolder;
            _armed = false;
            if (file.Content is not null && folder is null)
            {
                _uploads.Add(file.Content);
            }
        }

        if (!Authorized(request, allowQuery: false))
        {
            await exchange.RespondAsync(401, "text/html", [], ("WWW-Authenticate", "Basic realm=\"Login Required\""));
            return;
        }

        if (RestoreBehavior == TasmotaRestoreBehavior.NoAnswerToUpload)
        {
            return;
        }

        if (folder is not null && FileSystem is { } fileSystem)
        {
            // A user file: written into the folder, no restart.
            if (string.IsNullOrEmpty(file.FileName) || file.Content is null)
            {
                await exchange.RespondAsync(200, "text/html", Page(error: 1));
                return;
            }

            fileSystem.Write(folder, file.FileName, file.Content);
            await exchange.RespondAsync(200, "text/html", Page(error: 0));
            return;
        }

        if (!armed)
        {
            // Not armed: the firmware path, where a .dmp fails the first-byte check.
            UnarmedUploads++;
            await exchange.RespondAsync(200, "text/html", Page(error: 3));
            return;
        }

        if (string.IsNullOrEmpty(file.FileName) || file.Content is null)
        {
            await exchange.RespondAsync(200, "text/html", Page(error: 1));
            return;
        }

        var uploaded = file.Content;
        if (uploaded.Length > TasmotaDumpBuilder.Size && !KeepsDriverFiles)
        {
            await exchange.RespondAsync(200, "text/html", Page(error: 9));
            return;
        }

        if (!TasmotaDumpBuilder.ChecksumHolds(uploaded) || TasmotaDumpBuilder.PlatformOf(uploaded) != TasmotaDumpBuilder.PlatformOf(Dump))
        {
            if (uploaded.Length > TasmotaDumpBuilder.Size)
            {
                DriverFilesWrittenDespiteRejection++;
            }

            await exchange.RespondAsync(200, "text/html", Page(error: 8));
            return;
        }

        await exchange.RespondAsync(200, "text/html", Page(error: 0));
        Restart(uploaded);
    }

    private void Restart(byte[] uploaded)
    {
        lock (_restoreGate)
        {
            if (RestoreBehavior == TasmotaRestoreBehavior.NeverComesBack)
            {
                _gone = true;
                return;
            }

            var restored = TasmotaDumpBuilder.AfterRestore(Dump, uploaded, ParseVersion(Version));
            Dump = RestoreBehavior == TasmotaRestoreBehavior.ComesBackDifferent
                ? TasmotaDumpBuilder.Encode(Reset(TasmotaDumpBuilder.Settings(restored)), TasmotaDumpBuilder.DriverBytes(restored))
                : restored;
            BootCount++;
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            Volatile.Write(ref _answersAgainAt, now + (long)(RestartTime.TotalSeconds * System.Diagnostics.Stopwatch.Frequency));
            Volatile.Write(ref _restartedAt, now + (long)(RestartTime.TotalSeconds * System.Diagnostics.Stopwatch.Frequency));
        }
    }

    private static byte[] Reset(byte[] settings)
    {
        // Back to defaults: the user's texts (text pool) are gone.
        settings.AsSpan(0x017, 0x2D2 - 0x017).Clear();
        System.Text.Encoding.ASCII.GetBytes("Tasmota\0").CopyTo(settings, 0x017);
        return settings;
    }

    /// <summary>HandleUploadDone's page: "Upload Successful" with the reload script, or "Upload Failed" and the reason (kUploadErrors).</summary>
    private string Page(int error)
    {
        var german = Language == "de";
        if (error == 0)
        {
            return $"<!DOCTYPE html><html><head><script>setTimeout(function(){{location.href='.';}},10000);</script></head><body><div style='text-align:center;'><b>Upload <font color='#008000'>{(german ? "erfolgreich" : "Successful")}</font></b><br>{(german ? "Gerät wird jetzt neu gestartet" : "Device will restart in a few seconds")}</div></body></html>";
        }

        string[] english = ["No file selected", "Not enough space", "Magic byte is not 0xE9", "Program flash size is larger than real flash size", "Upload buffer miscompare", "Upload failed. Enable logging 3", "Upload aborted", "File invalid", "File too large"];
        string[] deutsch = ["keine Datei ausgewählt", "ungenügend Speicherplatz", "magic byte ist nicht 0xE9", "Flash-Größe des Programmes ist größer als der reale Flashspeicher", "Upload-buffer-Vergleich weicht ab", "Upload fehlgeschlagen. Aktiviere logging 3", "Upload abgebrochen", "Datei ungültig", "Datei zu groß"];
        var reason = (german ? deutsch : english)[error - 1];
        return $"<!DOCTYPE html><html><body><div style='text-align:center;'><b>Upload <font color='#ff5661'>{(german ? "fehlgeschlagen" : "Failed")}</font></b><br><br>{reason}<br></div></body></html>";
    }
}
