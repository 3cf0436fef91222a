using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Mqtt;

namespace TasmoGuardian.Kinds.Shelly;

/// <summary>
/// Finds Shelly devices that announce themselves over MQTT (research §4.1, §4.2), behind <c>announce_discovery</c>:
/// Gen1 answer <c>announce</c> on <c>shellies/command</c> with their id, MAC and IP on <c>shellies/announce</c> (the
/// default prefix is "shellies", not "shelly"); Gen2 and later with MQTT on publish <c>&lt;prefix&gt;/online</c> "true",
/// and are then asked over RPC on <c>&lt;prefix&gt;/rpc</c> who they are (<c>Shelly.GetDeviceInfo</c>) and where
/// (<c>WiFi.GetStatus</c>, else <c>Eth.GetStatus</c>); the answers come back on <c>&lt;base_topic&gt;/rpc</c>. With no Shelly
/// on the broker this is one subscription and one message per start.
/// </summary>
internal sealed class ShellyDiscovery : IHostedService
{
    private const int MaxPending = 256;

    private readonly ManagedMqttClient _mqtt;
    private readonly DeviceRegistry _registry;
    private readonly InventoryRefresh _refresh;
    private readonly GuardianOptions _options;
    private readonly ILogger<ShellyDiscovery> _logger;
    private readonly ConcurrentDictionary<long, (string Prefix, string Method)> _pending = new();
    private readonly ConcurrentDictionary<string, ShellyInfo> _identified = new(StringComparer.Ordinal);
    private readonly OncePerKey _reported = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _nextId;

    public ShellyDiscovery(ManagedMqttClient mqtt, DeviceRegistry registry, InventoryRefresh refresh, GuardianOptions options, ILogger<ShellyDiscovery> logger)
    {
        _mqtt = mqtt;
        _registry = registry;
        _refresh = refresh;
        _options = options;
        _logger = logger;
    }

    private string ReplyTopic => $"{_options.BaseTopic}/rpc";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.AnnounceDiscovery)
        {
            return;
        }

        await _mqtt.SubscribeAsync("shellies/announce", MqttQualityOfService.AtMostOnce, OnGen1AnnounceAsync, cancellationToken);
        await _mqtt.SubscribeAsync("+/online", MqttQualityOfService.AtMostOnce, OnOnlineAsync, cancellationToken);
        await _mqtt.SubscribeAsync(ReplyTopic, MqttQualityOfService.AtMostOnce, OnReplyAsync, cancellationToken);
        _mqtt.Connected += (_, _) => _ = AskGen1Async();
        _refresh.Requested += (_, _) => _ = AskGen1Async();
        if (_mqtt.IsConnected)
        {
            _ = AskGen1Async();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await _stopping.CancelAsync();

    private async Task AskGen1Async()
    {
        try
        {
            await _mqtt.PublishAsync(MqttMessage.FromString("shellies/command", "announce", MqttQualityOfService.AtMostOnce), _stopping.Token);
        }
        catch (Exception ex) when (ex is MqttException or OperationCanceledException)
        {
            // Offline or stopping: the next connection asks again.
        }
    }

    private async ValueTask OnGen1AnnounceAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        using var document = JsonRead.Object(message.Payload, out var problem);
        if (document is null || !Mac.TryParse(JsonRead.String(document.RootElement, "mac"), out var mac))
        {
            Ignore(message.Topic, problem ?? "the announcement has no MAC at \"mac\"");
            return;
        }

        var root = document.RootElement;
        var id = DeviceText.CleanName(JsonRead.String(root, "id"));
        var observation = new DeviceObservation(mac, DeviceType.ShellyGen1)
        {
            Name = id,
            NameSource = NameSource.Topic,
            Ip = DeviceText.CleanIp(JsonRead.String(root, "ip")),
            Version = ShellyInfo.Gen1Version(JsonRead.String(root, "fw_ver")),
            Model = DeviceText.CleanModel(JsonRead.String(root, "model")),
        };
        await ApplyAsync(observation, cancellationToken);
    }

    private async ValueTask OnOnlineAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        var prefix = message.Topic[..message.Topic.IndexOf('/', StringComparison.Ordinal)];
        if (message.PayloadAsString().Trim() != "true" || prefix.Length == 0 || prefix.Length > 128 || prefix.StartsWith('$') || _pending.Count >= MaxPending)
        {
            return;
        }

        await AskAsync(prefix, "Shelly.GetDeviceInfo", cancellationToken);
        await AskAsync(prefix, "WiFi.GetStatus", cancellationToken);
    }

    private async Task AskAsync(string prefix, string method, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        _pending[id] = (prefix, method);
        var request = $$"""{"id":{{id}},"src":"{{_options.BaseTopic}}","method":"{{method}}"}""";
        try
        {
            await _mqtt.PublishAsync(new MqttMessage($"{prefix}/rpc", Encoding.UTF8.GetBytes(request), MqttQualityOfService.AtMostOnce), cancellationToken);
        }
        catch (Exception ex) when (ex is MqttException or ArgumentException)
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async ValueTask OnReplyAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        using var document = JsonRead.Object(message.Payload, out _);
        if (document is null || JsonRead.Int64(document.RootElement, "id") is not { } id || !_pending.TryRemove(id, out var asked))
        {
            return;
        }

        var root = document.RootElement;
        if (!root.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object)
        {
            // WiFi.GetStatus fails on devices on Ethernet only (Pro models): ask there instead.
            if (asked.Method == "WiFi.GetStatus")
            {
                await AskAsync(asked.Prefix, "Eth.GetStatus", cancellationToken);
            }

            return;
        }

        if (asked.Method == "Shelly.GetDeviceInfo")
        {
            if (ShellyInfo.Parse(Encoding.UTF8.GetBytes(result.GetRawText()), "Shelly.GetDeviceInfo", out var problem) is { } info)
            {
                _identified[asked.Prefix] = info;
                await ApplyAsync(info.ToObservation(), cancellationToken);
            }
            else
            {
                Ignore(message.Topic, problem ?? "Shelly.GetDeviceInfo could not be read");
            }

            return;
        }

        var ip = DeviceText.CleanIp(JsonRead.String(result, "sta_ip") ?? JsonRead.String(result, "ip"));
        if (ip is not null && _identified.TryGetValue(asked.Prefix, out var known))
        {
            await ApplyAsync(known.ToObservation() with { Ip = ip }, cancellationToken);
        }
        else if (ip is not null)
        {
            // The address came first: ask who it is again once it is known where.
            await AskAsync(asked.Prefix, "Shelly.GetDeviceInfo", cancellationToken);
            await AskAsync(asked.Prefix, asked.Method, cancellationToken);
        }
    }

    private async Task ApplyAsync(DeviceObservation observation, CancellationToken cancellationToken)
    {
        try
        {
            await _registry.ApplyAsync(observation, cancellationToken);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            Ignore("(database)", $"could not store {observation.Mac}: {ex.Message}");
        }
    }

    private void Ignore(string topic, string problem) =>
        _reported.Report($"{topic}\n{problem}", () => ShellyLog.Ignored(_logger, topic, problem), () => ShellyLog.IgnoredAgain(_logger, topic, problem));
}
