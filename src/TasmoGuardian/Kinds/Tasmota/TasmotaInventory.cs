using TasmoGuardian.Devices;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Configuration;
using TasmoGuardian.Mqtt;

namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>
/// Finds Tasmota devices over MQTT: native discovery, replies to the status request sent to the group topic (which
/// also finds devices with discovery off), and telemetry (INFO1, INFO2, STATE, LWT) read on each device's own topics.
/// </summary>
internal sealed class TasmotaInventory : IHostedService
{
    public const string DiscoveryFilter = "tasmota/discovery/+/config";

    private static readonly string[] StatusSuffixes = ["STATUS", "STATUS2", "STATUS5"];
    private static readonly string[] TelemetrySuffixes = ["INFO1", "INFO2", "STATE", "LWT"];
    private static readonly string[] StatusPayloads = ["5", "2", ""];

    // A device that keeps announcing itself on a topic we cannot tie to a MAC is asked at most this often.
    private static readonly TimeSpan AskAgainAfter = TimeSpan.FromMinutes(1);

    private readonly ManagedMqttClient _mqtt;
    private readonly DeviceRegistry _registry;
    private readonly GuardianOptions _options;
    private readonly InventoryRefresh _refresh;
    private readonly ILogger<TasmotaInventory> _logger;
    private readonly PendingReports _pending = new();
    private readonly TopicIndex _index = new();
    private readonly OncePerKey _reported = new();
    private readonly HashSet<string> _deviceSubscriptions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, long> _asked = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public TasmotaInventory(ManagedMqttClient mqtt, DeviceRegistry registry, GuardianOptions options, InventoryRefresh refresh, TimeProvider time, ILogger<TasmotaInventory> logger)
    {
        _time = time;
        _mqtt = mqtt;
        _registry = registry;
        _options = options;
        _refresh = refresh;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.TasmotaDiscovery)
        {
            return;
        }

        await _mqtt.SubscribeAsync(DiscoveryFilter, MqttQualityOfService.AtLeastOnce, OnDiscoveryAsync, cancellationToken);

        // The default FullTopic %prefix%/%topic%/ and the swapped %topic%/%prefix%/; other layouts get their own
        // subscriptions once discovery tells us their FullTopic.
        foreach (var suffix in StatusSuffixes)
        {
            await _mqtt.SubscribeAsync($"stat/+/{suffix}", MqttQualityOfService.AtMostOnce, OnReportAsync, cancellationToken);
            await _mqtt.SubscribeAsync($"+/stat/{suffix}", MqttQualityOfService.AtMostOnce, OnReportAsync, cancellationToken);
        }

        foreach (var suffix in TelemetrySuffixes)
        {
            await _mqtt.SubscribeAsync($"tele/+/{suffix}", MqttQualityOfService.AtMostOnce, OnReportAsync, cancellationToken);
            await _mqtt.SubscribeAsync($"+/tele/{suffix}", MqttQualityOfService.AtMostOnce, OnReportAsync, cancellationToken);
        }

        foreach (var device in _registry.Snapshot())
        {
            _index.Update(device);
            await SubscribeDeviceTopicsAsync(device, cancellationToken);
        }

        _registry.Changed += (_, e) =>
        {
            if (e.Change.HasFlag(DeviceChange.Identity))
            {
                _index.Update(e.Device);
                _ = SubscribeDeviceTopicsAsync(e.Device, _stopping.Token);
            }
        };
        _mqtt.Connected += (_, _) => _ = RequestStatusAsync("connected to the broker");
        _refresh.Requested += (_, _) => _ = RequestStatusAsync("refresh button");
        if (_mqtt.IsConnected)
        {
            _ = RequestStatusAsync("start-up");
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
    }

    /// <summary>
    /// Asks every device to report STATUS 5 (network, with the MAC), then STATUS 2 (firmware), then STATUS with an
    /// empty payload (the Status section: DeviceName and FriendlyName, for devices found without discovery).
    /// </summary>
    public async Task RequestStatusAsync(string reason)
    {
        try
        {
            var token = _stopping.Token;
            foreach (var payload in StatusPayloads)
            {
                await Command("cmnd/tasmotas/STATUS", payload, token);
                await Command("tasmotas/cmnd/STATUS", payload, token);
            }

            // Devices with other FullTopics do not listen to the group topic; ask them one by one.
            foreach (var device in _registry.Snapshot())
            {
                if (TasmotaTopic.TryDecode(device.KindData, out var topic) && !topic.IsStandard)
                {
                    await AskAsync(TasmotaTopics.CommandBase(topic, device.Hostname, device.Mac), token);
                }
            }

            DeviceLog.StatusRequested(_logger, reason);
        }
        catch (Exception ex) when (ex is OperationCanceledException or MqttException or ArgumentException)
        {
            // Not connected or shutting down: the next connection asks again.
        }
    }

    private async Task AskAsync(string commandBase, CancellationToken cancellationToken)
    {
        foreach (var payload in StatusPayloads)
        {
            await Command($"{commandBase}STATUS", payload, cancellationToken);
        }
    }

    private Task Command(string topic, string payload, CancellationToken cancellationToken) =>
        _mqtt.PublishAsync(new MqttMessage(topic, Encoding.ASCII.GetBytes(payload), MqttQualityOfService.AtMostOnce), cancellationToken);

    private async ValueTask OnDiscoveryAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await HandleDiscoveryAsync(message, cancellationToken);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            CannotStore(message.Topic, ex.Message);
        }
    }

    private async ValueTask OnReportAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await HandleReportAsync(message, cancellationToken);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            CannotStore(message.Topic, ex.Message);
        }
    }

    private async ValueTask HandleDiscoveryAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        var parts = message.Topic.Split('/');
        var result = TasmotaDiscoveryParser.Parse(parts.Length == 4 ? parts[2] : string.Empty, message.Payload);
        switch (result.Kind)
        {
            case TasmotaDiscoveryKind.Device:
                await _registry.ApplyAsync(result.Observation!, cancellationToken);
                break;
            case TasmotaDiscoveryKind.DiscoveryDisabled:
                if (result.Mac is { } mac && _registry.Find(mac) is not null)
                {
                    DeviceLog.DiscoveryDisabled(_logger, mac.ToString());
                }

                break;
            default:
                Report(message.Topic, result.Problem!);
                break;
        }
    }

    private async ValueTask HandleReportAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        var (topicBase, suffix) = TasmotaTopics.Split(message.Topic);
        var report = TasmotaMessageParser.Parse(suffix, message.Payload, out var problem);
        if (report is null)
        {
            Report(message.Topic, problem ?? "unreadable");
            return;
        }

        // A 9.x/10.x ESP32 with Ethernet up names its Ethernet port's MAC in STATUS5 and its Wi-Fi MAC in discovery
        // (NetworkMacAddress versus NetworkUniqueId, research FACTS §1): the device that owns the topic (found by
        // discovery, under the id every later firmware uses as well) wins, so one device does not become two. Only when
        // no device owns the topic is the Ethernet MAC taken: it is then the one MAC the device tells at all.
        var owner = _index.Owner(topicBase);
        var mac = report.Mac ?? owner ?? report.EthernetMac;
        var toldItsMac = report.Mac is not null || (owner is null && report.EthernetMac is not null);
        if (mac is not { } known)
        {
            _pending.Remember(topicBase, suffix, report);

            // A device that has just booted (its LWT says Online, or its INFO1 arrives) on a topic no known device
            // uses: ask it who it is now, instead of waiting for the next refresh.
            if ((report.Online == true || suffix == "INFO1") && TasmotaTopics.InferFromTelemetryBase(topicBase) is { } newcomer && ShouldAsk(topicBase))
            {
                await AskAsync(TasmotaTopics.CommandBase(newcomer, null, default), cancellationToken);
            }

            return;
        }

        // A status reply tells which topic the device answers on; keep it unless discovery gave us a better one.
        TasmotaTopic? topic = null;
        if (toldItsMac && suffix.StartsWith("STATUS", StringComparison.Ordinal))
        {
            var device = _registry.Find(known);
            if (device is null || !TasmotaTopic.TryDecode(device.KindData, out var current) || TasmotaTopics.StatBase(current, device.Hostname, known) != topicBase)
            {
                topic = TasmotaTopics.InferFromStatBase(topicBase);
            }
        }

        var observation = report.ToObservation(known, topic);
        if (observation.Name is null && topic is not null)
        {
            // Found without discovery: the contract's last resort for a name is the topic.
            observation = observation with { Name = DeviceText.CleanName(topic.Topic), NameSource = NameSource.Topic };
        }

        await _registry.ApplyAsync(observation, cancellationToken);
        foreach (var earlier in TakePending(known, topicBase))
        {
            await _registry.ApplyAsync(earlier.ToObservation(known), cancellationToken);
        }
    }

    private IEnumerable<TasmotaReport> TakePending(Mac mac, string statBase)
    {
        var bases = _registry.Find(mac) is { } device ? TopicIndex.BasesOf(device) : [];
        return (bases.Count > 0 ? bases : [statBase]).Distinct().SelectMany(_pending.Take);
    }

    private async Task SubscribeDeviceTopicsAsync(Device device, CancellationToken cancellationToken)
    {
        if (!TasmotaTopic.TryDecode(device.KindData, out var topic) || topic.IsStandard)
        {
            return;
        }

        var statBase = TasmotaTopics.StatBase(topic, device.Hostname, device.Mac);
        var teleBase = TasmotaTopics.TelemetryBase(topic, device.Hostname, device.Mac);
        var filters = StatusSuffixes.Select(s => statBase + s).Concat(TelemetrySuffixes.Select(s => teleBase + s))
            .Where(TopicFilter.IsValidTopicName);
        foreach (var filter in filters)
        {
            lock (_gate)
            {
                if (!_deviceSubscriptions.Add(filter))
                {
                    continue;
                }
            }

            try
            {
                await _mqtt.SubscribeAsync(filter, MqttQualityOfService.AtMostOnce, OnReportAsync, cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or MqttException)
            {
                return;
            }
        }
    }

    private bool ShouldAsk(string topicBase)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (_asked.TryGetValue(topicBase, out var last) && _time.GetElapsedTime(last, now) < AskAgainAfter)
            {
                return false;
            }

            if (_asked.Count >= 4096)
            {
                _asked.Clear();
            }

            _asked[topicBase] = now;
            return true;
        }
    }

    private void CannotStore(string topic, string problem) =>
        _reported.Report($"{topic}\nstore\n{problem}", () => DeviceLog.CannotStore(_logger, topic, problem), () => DeviceLog.CannotStoreAgain(_logger, topic, problem));

    private void Report(string topic, string problem) =>
        _reported.Report($"{topic}\n{problem}", () => DeviceLog.BadMessage(_logger, topic, problem), () => DeviceLog.BadMessageAgain(_logger, topic, problem));
}
