using System.Security.Cryptography;
using System.Text;

namespace TasmoGuardian.Testing;

/// <summary>
/// An AI-on-the-Edge device (server_main.cpp, server_file.cpp): <c>/info?type=…</c> and <c>/starttime</c> as plain text,
/// files under <c>/fileserver/</c> (never wlan.ini), <c>POST /delete/&lt;path&gt;</c>, and <c>POST /upload/&lt;path&gt;</c>
/// with a raw body that refuses to overwrite ("File already exists") and answers <c>{"md5":…}</c> of what it stored.
/// Its MAC it tells only over MQTT, retained under <see cref="MainTopic"/>.
/// </summary>
public sealed class FakeAiOnTheEdge : FakeFirmware
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private string _startTime = "20261202-010203";

    private FakeAiOnTheEdge(byte[] config)
        : base(RandomMac("a0b765"))
    {
        _files["config/config.ini"] = config;
        _files["config/ref0.jpg"] = Jpeg(1);
        _files["config/ref1.jpg"] = Jpeg(2);
        _files["config/reference.jpg"] = Jpeg(3);
        _files["wlan.ini"] = "ssid = \"home\"\npassword = \"secret\"\n"u8.ToArray();
    }

    public string Version { get; set; } = "v15.7.0";

    public string Hostname { get; set; } = "watermeter";

    public string MainTopic { get; set; } = "watermeter";

    /// <summary>Stores uploads one byte wrong, as a failing SD card does.</summary>
    public bool CorruptsUploads { get; set; }

    /// <summary>Older firmware: the upload answers a page without the checksum.</summary>
    public bool AnswersWithoutMd5 { get; set; }

    public List<string> Deleted { get; } = [];

    public static FakeAiOnTheEdge Start(byte[] config) => new(config);

    /// <summary>A small, whole JPEG (start and end markers around some bytes).</summary>
    public static byte[] Jpeg(byte seed) => [0xFF, 0xD8, 0xFF, 0xE0, seed, (byte)(seed * 7), 0x10, 0x20, 0xFF, 0xD9];

    public byte[]? File(string path)
    {
        lock (_gate)
        {
            return _files.TryGetValue(path, out var content) ? content : null;
        }
    }

    public void SetFile(string path, byte[]? content)
    {
        lock (_gate)
        {
            if (content is null)
            {
                _files.Remove(path);
            }
            else
            {
                _files[path] = content;
            }
        }
    }

    protected override void OnRestart() => _startTime = $"20261202-{Random.Shared.Next(100000, 235959)}";

    protected override Task HandleAsync(FakeHttpExchange exchange)
    {
        var request = exchange.Request;
        if (!Authorized(request))
        {
            return UnauthorizedAsync(exchange);
        }

        if (request.Path == "/info")
        {
            var answer = request.QueryValue("type") switch
            {
                "FirmwareVersion" => Version,
                "Hostname" => Hostname,
                "IP" => Ip,
                _ => "",
            };
            return exchange.RespondAsync(200, "text/plain", answer);
        }

        if (request.Path == "/starttime")
        {
            return exchange.RespondAsync(200, "text/plain", _startTime);
        }

        if (request.Path == "/reboot")
        {
            Restart();
            return exchange.RespondAsync(200, "text/html", "<html><body>Rebooting...</body></html>");
        }

        if (request.Path.StartsWith("/fileserver/", StringComparison.Ordinal))
        {
            return GetAsync(exchange, request.Path["/fileserver/".Length..]);
        }

        if (request.Method == "POST" && request.Path.StartsWith("/delete/", StringComparison.Ordinal))
        {
            return DeleteAsync(exchange, request.Path["/delete/".Length..]);
        }

        if (request.Method == "POST" && request.Path.StartsWith("/upload/", StringComparison.Ordinal))
        {
            return UploadAsync(exchange, request.Path["/upload/".Length..]);
        }

        return WebAppAsync(exchange);
    }

    private Task GetAsync(FakeHttpExchange exchange, string path)
    {
        if (path.Length == 0 || path.EndsWith('/'))
        {
            return WebAppAsync(exchange);
        }

        var content = path.Equals("wlan.ini", StringComparison.OrdinalIgnoreCase) ? null : File(path);
        return content is null ? exchange.RespondAsync(404, "text/plain", "File does not exist") : exchange.RespondAsync(200, "application/octet-stream", content);
    }

    private Task DeleteAsync(FakeHttpExchange exchange, string path)
    {
        if (path.Equals("wlan.ini", StringComparison.OrdinalIgnoreCase))
        {
            return exchange.RespondAsync(403, "text/plain", "Not allowed to delete wlan.ini");
        }

        lock (_gate)
        {
            if (!_files.Remove(path))
            {
                return exchange.RespondAsync(400, "text/plain", "File does not exist");
            }

            Deleted.Add(path);
        }

        return exchange.RespondAsync(200, "text/html", "<html><body>File deleted</body></html>");
    }

    private Task UploadAsync(FakeHttpExchange exchange, string path)
    {
        var content = exchange.Request.Body.ToArray();
        lock (_gate)
        {
            if (_files.ContainsKey(path))
            {
                return exchange.RespondAsync(400, "text/plain", "File already exists");
            }

            if (CorruptsUploads && content.Length > 0)
            {
                content[^1] ^= 0x01;
            }

            _files[path] = content;
        }

        if (AnswersWithoutMd5 || exchange.Request.QueryValue("md5") is null)
        {
            return exchange.RespondAsync(200, "text/html", "<html><body>File uploaded</body></html>");
        }

#pragma warning disable CA5351 // The firmware's own checksum, not a security measure.
        var md5 = Convert.ToHexStringLower(MD5.HashData(content));
#pragma warning restore CA5351
        return exchange.RespondAsync(200, "application/json", $$"""{"md5":"{{md5}}"}""");
    }
}
