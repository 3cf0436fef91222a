using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Backups;
using TasmoGuardian.Devices;
using TasmoGuardian.Hosting;
using TasmoGuardian.Json;
using TasmoGuardian.Mqtt;

namespace TasmoGuardian.HomeAssistant;

/// <summary>
/// Keeps Home Assistant's picture current: retained discovery configs and states, published only when they changed
/// (and all of them at start-up, after a reconnection, and a few seconds after Home Assistant's birth), plus the
/// non-retained events. Everyone else tells it what changed through events; all publishing happens on its own loop,
/// so a slow broker never holds up a backup.
/// </summary>
internal sealed class HomeAssistantPublisher : BackgroundService
{
    private readonly Channel<PublisherWork> _inbox = Channel.CreateUnbounded<PublisherWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, byte[]> _published = new(StringComparer.Ordinal);
    private readonly ManagedMqttClient _mqtt;
    private readonly DeviceRegistry _registry;
    private readonly BackupWorker _worker;
    private readonly HomeAssistantTopics _topics;
    private readonly PublisherSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<HomeAssistantPublisher> _logger;
    private readonly MemoryTrim _memory;
    private CancellationToken _stopping;

    public HomeAssistantPublisher(
        ManagedMqttClient mqtt,
        DeviceRegistry registry,
        BackupWorker worker,
        HomeAssistantTopics topics,
        PublisherSettings settings,
        TimeProvider time,
        ILogger<HomeAssistantPublisher> logger,
        MemoryTrim memory)
    {
        _memory = memory;
        _mqtt = mqtt;
        _registry = registry;
        _worker = worker;
        _topics = topics;
        _settings = settings;
        _time = time;
        _logger = logger;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _registry.Changed += (_, e) =>
        {
            if (e.Change != DeviceChange.Presence)
            {
                Post(new PublisherWork(PublisherWorkKind.Device, e.Device.Mac, Change: e.Change));
            }

            if (e.Change.HasFlag(DeviceChange.Added))
            {
                Post(new PublisherWork(PublisherWorkKind.Hub));
            }
        };
        _worker.StatusChanged += (_, _) => Post(new PublisherWork(PublisherWorkKind.Hub));
        _worker.BackupCompleted += (_, outcome) => Post(Event(DiscoveryPayloads.Event(outcome)));
        _worker.RunFinished += (_, status) => Post(Event(DiscoveryPayloads.RunFinished(status)));
        _mqtt.Connected += (_, _) => Post(new PublisherWork(PublisherWorkKind.PublishAll, Reason: "connected to the broker"));

        await _mqtt.SubscribeAsync(_topics.HomeAssistantStatus, MqttQualityOfService.AtLeastOnce, OnHomeAssistantStatusAsync, cancellationToken);
        await _mqtt.SubscribeAsync(_topics.DeviceConfigFilter, MqttQualityOfService.AtLeastOnce, OnDiscoveryConfigAsync, cancellationToken);
        if (_mqtt.IsConnected)
        {
            Post(new PublisherWork(PublisherWorkKind.PublishAll, Reason: "start-up"));
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        var batch = new List<PublisherWork>();
        try
        {
            while (await _inbox.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < 10_000 && _inbox.Reader.TryRead(out var work))
                {
                    batch.Add(work);
                }

                await ProcessAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static PublisherWork Event(BackupEventPayload payload) =>
        new(PublisherWorkKind.Event, Payload: JsonSerializer.SerializeToUtf8Bytes(payload, GuardianJson.Context.BackupEventPayload));

    private void Post(PublisherWork work) => _inbox.Writer.TryWrite(work);

    private async Task ProcessAsync(List<PublisherWork> batch, CancellationToken cancellationToken)
    {
        var pending = new List<Task>();
        var all = batch.FindLast(w => w.Kind == PublisherWorkKind.PublishAll);
        if (all.Kind == PublisherWorkKind.PublishAll && all.Reason is not null)
        {
            // Everything is republished anyway; the device and hub changes of this batch are part of it.
            PublishAll(all.Reason, pending);
        }
        else
        {
            foreach (var group in batch.Where(w => w.Kind == PublisherWorkKind.Device && w.Mac is not null).GroupBy(w => w.Mac!.Value))
            {
                // A backup changes states only; the config (and its serialization) is looked at when the device itself changed.
                var configs = group.Any(w => (w.Change & (DeviceChange.Added | DeviceChange.Identity | DeviceChange.Visibility)) != 0);
                if (_registry.Find(group.Key) is { } device)
                {
                    PublishDevice(device, force: false, configs, states: true, pending);
                }
            }

            if (batch.Exists(w => w.Kind == PublisherWorkKind.Hub))
            {
                PublishHubState(force: false, pending);
            }
        }

        foreach (var work in batch)
        {
            switch (work.Kind)
            {
                case PublisherWorkKind.Event:
                    // Events are not retained: they must reach automations now or, after an outage, from the queue.
                    pending.Add(_mqtt.PublishAsync(new MqttMessage(_topics.Event, work.Payload!, MqttQualityOfService.AtLeastOnce), cancellationToken));
                    break;
                case PublisherWorkKind.ClearOrphan:
                    _published.Remove(work.Topic!);
                    pending.Add(_mqtt.PublishAsync(new MqttMessage(work.Topic!, ReadOnlyMemory<byte>.Empty, MqttQualityOfService.AtLeastOnce, retain: true), cancellationToken));
                    HomeAssistantLog.ClearedOrphan(_logger, work.Topic!);
                    break;
            }
        }

        await AwaitAllAsync(pending);
    }

    private void PublishAll(string reason, List<Task> pending)
    {
        if (!_mqtt.IsConnected)
        {
            return;
        }

        var devices = _registry.Snapshot();
        Publish(_topics.HubConfig, DiscoveryPayloads.Hub(_topics, GuardianInfo.Version), GuardianJson.Context.DiscoveryPayload, force: true, pending);
        foreach (var device in devices)
        {
            PublishDevice(device, force: true, configs: true, states: false, pending);
        }

        // States after configs, so Home Assistant has the entities subscribed when their values arrive.
        PublishHubState(force: true, pending);
        foreach (var device in devices)
        {
            PublishDevice(device, force: true, configs: false, states: true, pending);
        }

        HomeAssistantLog.PublishedAll(_logger, devices.Count(d => !d.HiddenInHomeAssistant), reason);
        _memory.AfterBurst();
    }

    private void PublishHubState(bool force, List<Task> pending) =>
        Publish(_topics.HubState, DiscoveryPayloads.HubState(_worker.Status, _registry.Count), GuardianJson.Context.HubStatePayload, force, pending);

    private void PublishDevice(Device device, bool force, bool configs, bool states, List<Task> pending)
    {
        var mac = device.Mac;
        if (device.HiddenInHomeAssistant)
        {
            // Forget what was sent, so that the device is published in full when it comes back.
            _published.Remove(_topics.DeviceConfig(mac));
            _published.Remove(_topics.DeviceState(mac));
            _published.Remove(_topics.DeviceAttributes(mac));
            return;
        }

        if (configs)
        {
            Publish(_topics.DeviceConfig(mac), DiscoveryPayloads.Device(device, _topics, GuardianInfo.Version), GuardianJson.Context.DiscoveryPayload, force, pending);
        }

        if (states)
        {
            Publish(_topics.DeviceState(mac), DiscoveryPayloads.DeviceState(device), GuardianJson.Context.DeviceStatePayload, force, pending);
            Publish(_topics.DeviceAttributes(mac), DiscoveryPayloads.DeviceAttributes(device), GuardianJson.Context.DeviceAttributesPayload, force, pending);
        }
    }

    private void Publish<T>(string topic, T payload, JsonTypeInfo<T> type, bool force, List<Task> pending)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(payload, type);
        if (!force && _published.TryGetValue(topic, out var last) && last.AsSpan().SequenceEqual(bytes))
        {
            return;
        }

        // While offline, retained topics are not queued: everything is republished on reconnection anyway.
        if (!_mqtt.IsConnected)
        {
            return;
        }

        _published[topic] = bytes;
        pending.Add(_mqtt.PublishAsync(new MqttMessage(topic, bytes, MqttQualityOfService.AtLeastOnce, retain: true), _stopping));
    }

    private async Task AwaitAllAsync(List<Task> pending)
    {
        foreach (var task in pending)
        {
            try
            {
                await task;
            }
            catch (MqttException ex)
            {
                HomeAssistantLog.PublishFailed(_logger, "(queued message)", ex.Message);
            }
        }
    }

    private ValueTask OnHomeAssistantStatusAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        if (message.PayloadAsString().Trim() != "online")
        {
            return ValueTask.CompletedTask;
        }

        var min = _settings.BirthDelayMin;
        var delay = min + ((_settings.BirthDelayMax - min) * Random.Shared.NextDouble());
        HomeAssistantLog.BirthSeen(_logger, delay.TotalSeconds);
        _ = RepublishLaterAsync(delay, _stopping);
        return ValueTask.CompletedTask;
    }

    private async Task RepublishLaterAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken);
            Post(new PublisherWork(PublisherWorkKind.PublishAll, Reason: "Home Assistant came online"));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async ValueTask OnDiscoveryConfigAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        var id = _topics.DiscoveryObjectId(message.Topic);
        if (id is null || !id.StartsWith(HomeAssistantTopics.HubId + "_", StringComparison.Ordinal))
        {
            return;
        }

        var known = Mac.TryParse(id[(HomeAssistantTopics.HubId.Length + 1)..], out var mac) ? _registry.Find(mac) : null;
        if (message.Payload.IsEmpty)
        {
            // Our own clearing comes back too; only a live (not retained) empty config for a shown device is a deletion.
            if (!message.Retain && known is { HiddenInHomeAssistant: false } && _mqtt.IsConnected)
            {
                HomeAssistantLog.DeletedInHomeAssistant(_logger, known.Name, known.Mac.ToString());
                await _registry.SetHiddenInHomeAssistantAsync(known.Mac, hidden: true, cancellationToken);
            }

            return;
        }

        if (message.Retain && known is null)
        {
            Post(new PublisherWork(PublisherWorkKind.ClearOrphan, Topic: message.Topic));
        }
    }
}
