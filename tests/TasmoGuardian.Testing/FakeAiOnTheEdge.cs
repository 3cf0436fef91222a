using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TasmoGuardian.Testing;

/// <summary>
/// An AI-on-the-Edge device answering from the fixtures in tests/fixtures/ai_on_the_edge, as its release does
/// (server_main.cpp, server_file.cpp): <c>/info?type=…</c> and <c>/starttime</c> as plain text typed text/html, files
/// under <c>/fileserver/</c> sent in chunks without Content-Length (never wlan.ini), <c>POST /delete/&lt;path&gt;</c>
/// (a missing file is no error; wlan.ini too is deleted, the guard never holds), <c>POST /upload/&lt;path&gt;</c> with a
/// raw body that refuses to overwrite, answering <c>{"md5":…}</c> only on 16.x and only with <c>?md5</c>, else 200 or
/// 303 See Other with "File uploaded successfully", and Basic auth from 16.0 on. Its MAC it tells only over MQTT under
/// <see cref="MainTopic"/>: the test publishes it (retained, as with RetainMessages = true) or answers
/// <see cref="PublishRequested"/>, raised by <c>GET /mqtt_publish_discovery</c>.
/// </summary>
public sealed class FakeAiOnTheEdge : FakeFirmware
{
    // The paths whose upload and delete answer 200; every other answers 303 See Other (server_file.cpp:766-785, 897-913).
    private static readonly HashSet<string> AnsweredWith200 = new(StringComparer.Ordinal)
    {
        "/config/config.ini", "/config/ref0.jpg", "/config/ref0_org.jpg", "/config/ref1.jpg", "/config/ref1_org.jpg", "/config/reference.jpg",
        "/img_tmp/ref0.jpg", "/img_tmp/ref0_org.jpg", "/img_tmp/ref1.jpg", "/img_tmp/ref1_org.jpg", "/img_tmp/reference.jpg",
    };

    private readonly Lock _gate = new();
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly List<string> _deleted = [];
    private string _startTime = FirmwareFixtures.Text("ai_on_the_edge/ai_on_the_edge_starttime_docs_capture.txt");

    private FakeAiOnTheEdge(string release, byte[]? config)
        : base(RandomMac("083af2"))
    {
        Release = release;
        _files["config/config.ini"] = config ?? FirmwareFixtures.Bytes($"ai_on_the_edge/ai_on_the_edge_config_{release}.ini");
        _files["config/ref0.jpg"] = Jpeg(1);
        _files["config/ref1.jpg"] = Jpeg(2);
        _files["config/reference.jpg"] = Jpeg(3);
        _files["config/prevalue.ini"] = "2026-12-02T01:02:03 123.4560\n"u8.ToArray();
        _files["wlan.ini"] = "ssid = \"home\"\npassword = \"secret\"\n"u8.ToArray();
    }

    /// <summary>"v16.1.0" or "v15.7.0": the release whose answers the device gives.</summary>
    public string Release { get; }

    /// <summary>The answer of <c>/info?type=FirmwareVersion</c> (<c>getFwVersion()</c>); a test may make it a development build's.</summary>
    public string FirmwareVersion { get; set; } = "";

    public string Hostname { get; set; } = FirmwareFixtures.Text("ai_on_the_edge/ai_on_the_edge_info_Hostname_default.txt");

    public string MainTopic { get; set; } = "watermeter";

    /// <summary>Stores uploads one byte wrong, as a failing SD card does.</summary>
    public bool CorruptsUploads { get; set; }

    /// <summary>Release 16 and later answer an upload with <c>?md5</c> with the checksum of what was stored.</summary>
    public bool AnswersWithMd5 => !Release.StartsWith("v15", StringComparison.Ordinal);

    /// <summary>Raised by <c>GET /mqtt_publish_discovery</c>: the device publishes its static topics (MAC, IP, …) in its next round.</summary>
    public event EventHandler? PublishRequested;

    public IReadOnlyList<string> Deleted
    {
        get
        {
            lock (_gate)
            {
                return [.. _deleted];
            }
        }
    }

    /// <param name="release">"v16.1.0" or "v15.7.0"; config.ini is that release's shipped file unless <paramref name="config"/> is given.</param>
    public static FakeAiOnTheEdge Start(string release = "v16.1.0", byte[]? config = null)
    {
        var device = new FakeAiOnTheEdge(release, config);
        device.FirmwareVersion = FirmwareFixtures.Text($"ai_on_the_edge/ai_on_the_edge_info_FirmwareVersion_{release}.txt");
        return device;
    }

    public static FakeAiOnTheEdge Start(byte[] config) => Start("v16.1.0", config);

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

    protected override void OnRestart() =>
        _startTime = DateTime.UtcNow.AddSeconds(Random.Shared.Next(1, 86400)).ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

    protected override Task HandleAsync(FakeHttpExchange exchange)
    {
        var request = exchange.Request;

        // Web and REST authentication came with 16.0.0 (basic_auth.cpp).
        if (!Release.StartsWith("v15", StringComparison.Ordinal) && !Authorized(request))
        {
            return FirmwareFixtures.Http("ai_on_the_edge/ai_on_the_edge_unauthorized_v16.1.0.http").WriteAsync(exchange);
        }

        return request.Path switch
        {
            "/info" => InfoAsync(exchange),
            "/starttime" => TextAsync(exchange, _startTime),
            "/reboot" when request.Method == "GET" => RebootAsync(exchange),
            "/mqtt_publish_discovery" => PublishAsync(exchange),
            _ when request.Path.StartsWith("/fileserver/", StringComparison.Ordinal) => GetAsync(exchange, request.Path["/fileserver/".Length..]),
            _ when request.Method == "POST" && request.Path.StartsWith("/delete/", StringComparison.Ordinal) => DeleteAsync(exchange, request.Path["/delete/".Length..]),
            _ when request.Method == "POST" && request.Path.StartsWith("/upload/", StringComparison.Ordinal) => UploadAsync(exchange, request.Path["/upload/".Length..]),
            _ => NotFoundAsync(exchange),
        };
    }

    // Plain answers are sent without a type, so ESP-IDF's default text/html goes with them.
    private static Task TextAsync(FakeHttpExchange exchange, string body) =>
        FirmwareFixtures.Http("ai_on_the_edge/ai_on_the_edge_info_FirmwareVersion_v16.1.0.http").WithBody(body).WriteAsync(exchange);

    private static Task NotFoundAsync(FakeHttpExchange exchange) => FirmwareFixtures.Http("ai_on_the_edge/ai_on_the_edge_fileserver_404_wlan_ini_v16.1.0.http").WriteAsync(exchange);

    // "/fileserver/config/" after a write to "/config/x" (server_file.cpp:750-763).
    private static string Folder(string path) => "/fileserver/" + (path.Contains('/', StringComparison.Ordinal) ? path[..(path.LastIndexOf('/') + 1)] : "");

    // server_main.cpp:44-201: the type's text, 400 for a type it does not have.
    private Task InfoAsync(FakeHttpExchange exchange)
    {
        if (exchange.Request.Query.Length == 0)
        {
            return FirmwareFixtures.Http("ai_on_the_edge/ai_on_the_edge_info_unknown_type_MAC_v16.1.0.http").WithBody("invalid query string").WriteAsync(exchange);
        }

        var type = exchange.Request.QueryValue("type");
        var answer = type switch
        {
            "FirmwareVersion" or "HTMLVersion" => FirmwareVersion,
            "GitTag" => FirmwareVersion.StartsWith("Release: ", StringComparison.Ordinal) ? FirmwareVersion["Release: ".Length..FirmwareVersion.IndexOf(" (", StringComparison.Ordinal)] : "",
            "Hostname" => Hostname,
            "IP" => Ip,
            _ => null,
        };
        if (answer is not null)
        {
            return TextAsync(exchange, answer);
        }

        var unknown = FirmwareFixtures.Http("ai_on_the_edge/ai_on_the_edge_info_unknown_type_MAC_v16.1.0.http");
        return (type is null ? unknown.WithBody("missing or invalid 'type' query parameter (too long value?)") : unknown.WithBody($"Unknown value for parameter info 'type': '{type}'\n")).WriteAsync(exchange);
    }

    private async Task RebootAsync(FakeHttpExchange exchange)
    {
        await FirmwareFixtures.Http("ai_on_the_edge/ai_on_the_edge_reboot_v16.1.0.http").WriteAsync(exchange);
        Restart();
    }

    private Task PublishAsync(FakeHttpExchange exchange)
    {
        PublishRequested?.Invoke(this, EventArgs.Empty);
        return TextAsync(exchange, "MQTT Homeassistant Discovery and Static Topics scheduled");
    }

    // server_file.cpp:530-597: a folder lists as HTML; a file comes in chunks; wlan.ini (any case) and missing files are 404.
    private Task GetAsync(FakeHttpExchange exchange, string path)
    {
        if (path.Length == 0 || path.EndsWith('/'))
        {
            return HttpFixture.WriteChunkedAsync(exchange, "text/html", FirmwareFixtures.Bytes("ai_on_the_edge/ai_on_the_edge_fileserver_config_listing_v16.1.0.html"), 1024, ("Access-Control-Allow-Origin", "*"));
        }

        var content = Path.GetFileName(path).Equals("wlan.ini", StringComparison.OrdinalIgnoreCase) ? null : File(path);
        if (content is null)
        {
            return NotFoundAsync(exchange);
        }

        var type = Path.GetExtension(path).Equals(".jpg", StringComparison.OrdinalIgnoreCase) ? "image/jpeg" : "text/plain";
        return HttpFixture.WriteChunkedAsync(exchange, type, content, 1024, ("Access-Control-Allow-Origin", "*"));
    }

    private Task DeleteAsync(FakeHttpExchange exchange, string path)
    {
        lock (_gate)
        {
            // Deleting a file that is not there is no error (server_file.cpp:872-875).
            _files.Remove(path);
            _deleted.Add(path);
        }

        var answer = FirmwareFixtures.Http(AnsweredWith200.Contains("/" + path)
            ? "ai_on_the_edge/ai_on_the_edge_delete_config_ini_v16.1.0.http"
            : "ai_on_the_edge/ai_on_the_edge_delete_other_file_v16.1.0.http");
        return answer.WithHeader("Location", Folder(path)).WriteAsync(exchange);
    }

    private Task UploadAsync(FakeHttpExchange exchange, string path)
    {
        var content = exchange.Request.Body.ToArray();
        lock (_gate)
        {
            if (_files.ContainsKey(path))
            {
                return FirmwareFixtures.Http("ai_on_the_edge/ai_on_the_edge_upload_exists_v16.1.0.http").WriteAsync(exchange);
            }

            if (CorruptsUploads && content.Length > 0)
            {
                content[^1] ^= 0x01;
            }

            _files[path] = content;
        }

        // The firmware looks for "?md5" anywhere in the URI (server_file.cpp:717).
        if (AnswersWithMd5 && exchange.Request.Query.Contains("?md5", StringComparison.Ordinal))
        {
#pragma warning disable CA5351 // The firmware's own checksum, not a security measure.
            var md5 = Convert.ToHexStringLower(MD5.HashData(content));
#pragma warning restore CA5351
            return FirmwareFixtures.Http("ai_on_the_edge/ai_on_the_edge_upload_md5_config_ini_v16.1.0.http").WithBody($$"""{"md5":"{{md5}}"}""").WriteAsync(exchange);
        }

        var answer = FirmwareFixtures.Http(AnsweredWith200.Contains("/" + path)
            ? "ai_on_the_edge/ai_on_the_edge_upload_config_ini_v16.1.0.http"
            : "ai_on_the_edge/ai_on_the_edge_upload_other_file_v16.1.0.http");
        return answer.WithHeader("Location", Folder(path)).WriteAsync(exchange);
    }
}
