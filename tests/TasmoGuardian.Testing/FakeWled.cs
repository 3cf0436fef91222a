using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace TasmoGuardian.Testing;

/// <summary>
/// A WLED device's web server: <c>/json/info</c>, <c>/cfg.json</c>, <c>/presets.json</c>, and the restore the Security
/// page does (wled_server.cpp handleUpload): <c>POST /upload</c>, gated by the settings PIN (0.14+, unlocked with
/// <c>{"pin":…}</c> on /json/state) or the OTA lock (0.13), with each version's answers; 0.14 and later restart after
/// cfg.json by themselves, 0.13 when told <c>{"rb":true}</c>.
/// </summary>
public sealed class FakeWled : IAsyncDisposable
{
    private readonly FakeHttpServer _server;
    private readonly Lock _gate = new();
    private readonly List<string> _uploaded = [];
    private bool _unlocked;
    private long _startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
    private long _answersAgainAt;
    private byte[]? _pendingConfig;

    private FakeWled(string mac, IPAddress address, int port)
    {
        Mac = mac;
        _server = new FakeHttpServer(address, port, HandleAsync);
    }

    public string Mac { get; }

    public string Name { get; set; } = "Desk strip";

    public string Host => _server.HostAndPort;

    /// <summary>"0.13.3", "0.14.4", "0.15.0-b3", "16.0.1": decides the answers to uploads.</summary>
    public string Version { get; set; } = "0.15.0-b3";

    public int Build { get; set; } = 2405180;

    public string Arch { get; set; } = "esp32";

    /// <summary>The settings PIN (0.14+); null for none.</summary>
    public string? Pin { get; set; }

    /// <summary>0.13's OTA lock, which also locks uploads there.</summary>
    public bool OtaLock { get; set; }

    public TimeSpan RestartTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>After a restart, the device adds this top-level key to cfg.json (a usermod's default), as real ones do.</summary>
    public string? AddsKeyAtBoot { get; set; } = "um";

    /// <summary>After a restart the device serves this name instead of the uploaded one (a config it did not keep).</summary>
    public string? ComesBackNamed { get; set; }

    public byte[] Config { get; set; } = """{"rev":[1,0],"vid":2405180,"id":{"mdns":"wled-desk","name":"Desk strip","inv":"Light"},"nw":{"ins":[{"ssid":"home","pskl":8}]}}"""u8.ToArray();

    /// <summary>Null: the device has no presets.json and answers 404.</summary>
    public byte[]? Presets { get; set; } = """{"0":{},"1":{"n":"Evening","bri":80}}"""u8.ToArray();

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

    public int Restarts { get; private set; }

    public static FakeWled Start(int port = 80)
    {
        var mac = $"c8c9a3{Random.Shared.Next(0x100000, 0xFFFFFF):x6}";
        return new FakeWled(mac, port == 80 ? LoopbackAddresses.Next() : IPAddress.Loopback, port);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private bool IsV013 => Version.StartsWith("0.13", StringComparison.Ordinal);

    private bool IsV014Early => Version.StartsWith("0.14.0", StringComparison.Ordinal);

    private Task HandleAsync(FakeHttpExchange exchange)
    {
        if (System.Diagnostics.Stopwatch.GetTimestamp() < Volatile.Read(ref _answersAgainAt))
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
            (_, "/presets.json") when Presets is not null => exchange.RespondAsync(200, "application/json", Presets),
            _ => exchange.RespondAsync(404, "text/plain", "Not Found"),
        };
    }

    private string Info()
    {
        var uptime = (long)System.Diagnostics.Stopwatch.GetElapsedTime(Volatile.Read(ref _startedAt)).TotalSeconds;
        return $$"""{"ver":"{{Version}}","vid":{{Build}},"name":"{{Name}}","arch":"{{Arch}}","brand":"WLED","product":"FOSS","mac":"{{Mac}}","ip":"{{_server.EndPoint.Address}}","uptime":{{Math.Max(0, uptime)}}}""";
    }

    private async Task StateAsync(FakeHttpExchange exchange)
    {
        var body = JsonNode.Parse(exchange.Request.Body)?.AsObject();
        if (body?["pin"] is { } pin)
        {
            lock (_gate)
            {
                // One global flag, right or wrong PIN: the answer never says.
                _unlocked = Pin is not null && (string?)pin == Pin;
            }
        }

        await exchange.RespondAsync(200, "application/json", """{"success":true}""");
        if (body?["rb"] is { } reboot && (bool)reboot)
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
            if (IsV013)
            {
                await exchange.RespondAsync(500, "text/plain", "Please unlock OTA in security settings!");
            }
            else
            {
                await exchange.RespondAsync(IsV014Early ? 500 : 401, "text/plain", "Please unlock settings using PIN code!");
            }

            return;
        }

        var path = part.FileName ?? string.Empty;
        var target = path.StartsWith('/') ? path : "/" + path;
        lock (_gate)
        {
            _uploaded.Add(target);
        }

        if (target == "/presets.json")
        {
            Presets = part.Content;
            await exchange.RespondAsync(200, "text/plain", "File Uploaded!");
            return;
        }

        if (target != "/cfg.json")
        {
            await exchange.RespondAsync(200, "text/plain", "File Uploaded!");
            return;
        }

        // cfg.json is read at boot: until then the old configuration is what the device serves.
        lock (_gate)
        {
            _pendingConfig = part.Content;
        }

        if (IsV013)
        {
            await exchange.RespondAsync(200, "text/plain", "File Uploaded!");
            return;
        }

        var answer = Version.StartsWith("0.14", StringComparison.Ordinal) || Version.StartsWith("0.15", StringComparison.Ordinal)
            ? "Configuration restore successful.\nRebooting..."
            : "Config restore ok.\nRebooting...";
        await exchange.RespondAsync(200, "text/plain", answer);
        Restart();
    }

    private void Restart()
    {
        lock (_gate)
        {
            if (_pendingConfig is { } config)
            {
                var node = JsonNode.Parse(config)!.AsObject();
                if (AddsKeyAtBoot is { } key)
                {
                    node[key] = new JsonObject();
                }

                if (ComesBackNamed is { } name && node["id"] is JsonObject id)
                {
                    id["name"] = name;
                }

                Config = Encoding.UTF8.GetBytes(node.ToJsonString());
                _pendingConfig = null;
            }

            _unlocked = false;
            Restarts++;
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            Volatile.Write(ref _answersAgainAt, now + (long)(RestartTime.TotalSeconds * System.Diagnostics.Stopwatch.Frequency));
            Volatile.Write(ref _startedAt, now + (long)(RestartTime.TotalSeconds * System.Diagnostics.Stopwatch.Frequency));
        }
    }
}
