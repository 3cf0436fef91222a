using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Devices;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds;

/// <summary>
/// What the MQTT discovery of every kind but Tasmota and Shelly shares: a device announced its address, so its kind
/// asks it over HTTP who it is (with the kind's default user and password) and the registry learns it. The asking runs
/// here, one address after another, never in the MQTT handler: an address that hangs must not hold up the messages
/// behind it (button presses, commands). The same address is asked at most once in ten minutes (devices repeat their
/// announcements), at most 256 wait their turn (more are dropped until the queue drains), and a failure is logged once.
/// </summary>
internal sealed partial class AnnouncedHosts : BackgroundService
{
    private static readonly TimeSpan AskAgainAfter = TimeSpan.FromMinutes(10);

    private readonly Channel<(IDeviceKind Kind, string Ip, string Topic)> _waiting =
        Channel.CreateBounded<(IDeviceKind, string, string)>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly DeviceRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger<AnnouncedHosts> _logger;
    private readonly ConcurrentDictionary<(DeviceType, string), DateTimeOffset> _asked = new();
    private readonly OncePerKey _reported = new();

    public AnnouncedHosts(DeviceRegistry registry, TimeProvider time, ILogger<AnnouncedHosts> logger)
    {
        _registry = registry;
        _time = time;
        _logger = logger;
    }

    /// <summary>Has the device at <paramref name="ip"/> asked soon; <paramref name="topic"/> is where it announced itself, for the log.</summary>
    public void Identify(IDeviceKind kind, string ip, string topic)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var now = _time.GetUtcNow();
        var key = (kind.Type, ip);
        if (_asked.TryGetValue(key, out var last) && now - last < AskAgainAfter)
        {
            return;
        }

        _asked[key] = now;
        if (!_waiting.Writer.TryWrite((kind, ip, topic)))
        {
            _asked.TryRemove(key, out _);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (kind, ip, topic) in _waiting.Reader.ReadAllAsync(stoppingToken))
            {
                await IdentifyNowAsync(kind, ip, topic, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task IdentifyNowAsync(IDeviceKind kind, string ip, string topic, CancellationToken cancellationToken)
    {
        var key = (kind.Type, ip);
        try
        {
            var observation = await kind.IdentifyAsync(new DeviceAccess(ip, kind.DefaultUsername, kind.DefaultPassword), cancellationToken);
            await _registry.ApplyAsync(observation with { Ip = observation.Ip ?? ip }, cancellationToken);
        }
        catch (DeviceException ex)
        {
            _asked.TryRemove(key, out _);
            Ignore(topic, $"the {kind.DisplayName} device at {ip} did not answer as one: {ex.Failure.Reason}");
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            _asked.TryRemove(key, out _);
            Ignore("(database)", $"could not store the device at {ip}: {ex.Message}");
        }
    }

    /// <summary>Stores what an announcement itself says (Awtrix's stats carry everything identification needs).</summary>
    public async Task ApplyAsync(DeviceObservation observation, string topic, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observation);
        try
        {
            await _registry.ApplyAsync(observation, cancellationToken);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            Ignore(topic, $"could not store {observation.Mac}: {ex.Message}");
        }
    }

    public void Ignore(string topic, string problem) =>
        _reported.Report($"{topic}\n{problem}", () => Ignored(_logger, topic, problem), () => IgnoredAgain(_logger, topic, problem));

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "Ignored an announcement on {Topic}: {Problem}")]
    private static partial void Ignored(ILogger logger, string topic, string problem);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Debug, Message = "Ignored an announcement on {Topic}: {Problem}")]
    private static partial void IgnoredAgain(ILogger logger, string topic, string problem);
}
