using System.Diagnostics;
using System.Net;
using System.Text;

namespace TasmoGuardian.Testing;

/// <summary>
/// What the fakes of the file-based kinds share, as their firmware behaves: an HTTP server on port 80 of its own
/// loopback address, optional Basic auth, a restart during which nothing answers and after which the uptime starts
/// again, and the web page a broken or foreign device serves for everything (the HTML trap).
/// </summary>
public abstract class FakeFirmware : IAsyncDisposable
{
    private readonly FakeHttpServer _server;
    private long _startedAt = Stopwatch.GetTimestamp();
    private long _answersAgainAt;
    private int _restarts;

    protected FakeFirmware(string mac)
    {
        Mac = mac;
        var endPoint = LoopbackAddresses.NextEndPoint();
        _server = new FakeHttpServer(endPoint.Address, endPoint.Port, HandleAllAsync);
    }

    /// <summary>12 lower-case hex digits.</summary>
    public string Mac { get; }

    public string ColonMac => string.Join(':', Enumerable.Range(0, 6).Select(i => Mac.Substring(i * 2, 2).ToUpperInvariant()));

    public string Host => _server.HostAndPort;

    public string Ip => _server.EndPoint.Address.ToString();

    public IReadOnlyList<FakeHttpRequest> Requests => _server.Requests;

    /// <summary>The web password; null: the device asks for none.</summary>
    public string? Password { get; set; }

    public string Username { get; set; } = "admin";

    public TimeSpan RestartTime { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>Answers every request with its web app (200, HTML), as a device of another kind or a broken one does.</summary>
    public bool ServesWebPage { get; set; }

    public int Restarts => Volatile.Read(ref _restarts);

    /// <summary>How long each answer takes, as a slow ESP's does (benchmarks); zero in tests.</summary>
    public TimeSpan AnswerDelay { get; set; }

    /// <summary>Seconds since the last start, as the firmware reports it.</summary>
    public long UptimeSeconds => Math.Max(0, (long)Stopwatch.GetElapsedTime(Volatile.Read(ref _startedAt)).TotalSeconds);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected static string RandomMac(string prefix) => prefix + Random.Shared.Next(0x100000, 0xFFFFFF).ToString("x6", System.Globalization.CultureInfo.InvariantCulture);

    protected static Task WebAppAsync(FakeHttpExchange exchange) =>
        exchange.RespondAsync(200, "text/html", "<!DOCTYPE html><html><head><title>Device</title></head><body><div id=\"app\"></div></body></html>");

    protected bool Authorized(FakeHttpRequest request)
    {
        if (Password is null)
        {
            return true;
        }

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"));
        return request.Header("Authorization") == expected;
    }

    protected static Task UnauthorizedAsync(FakeHttpExchange exchange) =>
        exchange.RespondAsync(401, "text/plain", "Unauthorized", ("WWW-Authenticate", "Basic realm=\"device\""));

    /// <summary>Stops answering for <see cref="RestartTime"/>; <see cref="OnRestart"/> runs as the device boots.</summary>
    protected void Restart()
    {
        OnRestart();
        Interlocked.Increment(ref _restarts);
        var back = Stopwatch.GetTimestamp() + (long)(RestartTime.TotalSeconds * Stopwatch.Frequency);
        Volatile.Write(ref _answersAgainAt, back);
        Volatile.Write(ref _startedAt, back);
    }

    /// <summary>What the firmware does at boot with what it was given (read an uploaded configuration, add defaults).</summary>
    protected virtual void OnRestart()
    {
    }

    protected abstract Task HandleAsync(FakeHttpExchange exchange);

    private async Task HandleAllAsync(FakeHttpExchange exchange)
    {
        if (Stopwatch.GetTimestamp() < Volatile.Read(ref _answersAgainAt))
        {
            return;
        }

        if (AnswerDelay > TimeSpan.Zero)
        {
            await Task.Delay(AnswerDelay, exchange.CancellationToken);
        }

        await (ServesWebPage ? WebAppAsync(exchange) : HandleAsync(exchange));
    }
}
