using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Backups.Work;
using TasmoGuardian.Backups.Restore;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Kinds;
using TasmoGuardian.Mqtt;

namespace TasmoGuardian.HomeAssistant;

/// <summary>
/// Keeps Home Assistant's picture current: retained discovery configs and states, published only when they changed
/// (and all of them at start-up, after a reconnection, and a few seconds after Home Assistant's birth), plus the
/// non-retained events. Everyone else tells it what changed through events; all publishing happens on its own loop,
/// so a slow broker never holds up a backup. A device that turns stale with time gets its problem state at that
/// moment: a timer wakes the loop when the next device crosses stale_days. A retained payload counts as published
/// only once the broker acknowledged it, so one that was lost (or is still waiting after a while) is sent again when
/// it is next due instead of being skipped as unchanged.
/// </summary>
internal sealed class HomeAssistantPublisher : BackgroundService
{
    // On a graceful stop the events of the last backups still go out before "offline"; this is the longest that may take.
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(5);

    // Clocks can jump (suspend, NTP): the stale check never sleeps longer than this.
    private static readonly TimeSpan LongestStaleWait = TimeSpan.FromHours(6);

    private readonly Channel<PublisherWork> _inbox = Channel.CreateUnbounded<PublisherWork>(new UnboundedChannelOptions { SingleReader = true });
    // What the broker acknowledged last on each retained topic; read and written on the loop only.
    // What the broker holds per retained topic, as the SHA-256 of the payload: 32 bytes instead of the payload itself
    // (a discovery config is kilobytes; at 500 devices the payloads alone were megabytes kept for one comparison each).
    private readonly Dictionary<string, byte[]> _published = new(StringComparer.Ordinal);
    private readonly ManagedMqttClient _mqtt;
    private readonly DeviceRegistry _registry;
    private readonly HubProblems _hubProblems;
    private readonly BackupWorker _worker;
    private readonly KindCatalog _kinds;
    private readonly BackupChoices _choices;
    private readonly RestoreSelection _selection;
    private readonly HubLink _link;
    private readonly HomeAssistantTopics _topics;
    private readonly PublisherSettings _settings;
    private readonly GuardianOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<HomeAssistantPublisher> _logger;
    private readonly ITimer _staleTimer;

    // Every device's state was published as of this instant: devices turning stale later still need the timer. Time
    // moves on while a batch is published (and a clock can jump), so the timer is armed from here, not from "now".
    private DateTimeOffset _statesPublishedAt = DateTimeOffset.MinValue;
    private CancellationToken _stopping;

    public HomeAssistantPublisher(
        ManagedMqttClient mqtt,
        DeviceRegistry registry,
        HubProblems hubProblems,
        BackupWorker worker,
        KindCatalog kinds,
        BackupChoices choices,
        RestoreSelection selection,
        HubLink link,
        HomeAssistantTopics topics,
        PublisherSettings settings,
        GuardianOptions options,
        TimeProvider time,
        ILogger<HomeAssistantPublisher> logger)
    {
        _mqtt = mqtt;
        _registry = registry;
        _hubProblems = hubProblems;
        _worker = worker;
        _kinds = kinds;
        _choices = choices;
        _selection = selection;
        _link = link;
        _topics = topics;
        _settings = settings;
        _options = options;
        _time = time;
        _logger = logger;
        _staleTimer = time.CreateTimer(_ => Post(new PublisherWork.TimePassed()), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>After every configuration and state has been sent (start-up, reconnection, Home Assistant's birth).</summary>
    public event EventHandler? PublishedAll;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _registry.Changed += (_, e) =>
        {
            if (e.Change != DeviceChange.Presence)
            {
                Post(new PublisherWork.DeviceChanged(e.Device.Mac, e.Change));
            }
        };
        _worker.StatusChanged += (_, _) => Post(new PublisherWork.HubChanged());
        _hubProblems.Changed += (_, _) => Post(new PublisherWork.HubChanged());
        _worker.BackupCompleted += (_, outcome) => Post(outcome.Kind == BackupOutcomeKind.Succeeded
            ? Event(DiscoveryPayloads.BackupSucceeded(outcome), HomeAssistantJsonContext.Relaxed.BackupSucceededPayload)
            : Event(DiscoveryPayloads.BackupFailed(outcome), HomeAssistantJsonContext.Relaxed.BackupEventPayload));
        _worker.RunFinished += (_, status) => Post(Event(DiscoveryPayloads.RunFinished(status), HomeAssistantJsonContext.Relaxed.BackupEventPayload));
        _worker.RestoreCompleted += (_, outcome) => Post(Event(DiscoveryPayloads.RestoreEvent(outcome), HomeAssistantJsonContext.Relaxed.RestoreEventPayload));
        _mqtt.Connected += (_, _) => Post(new PublisherWork.PublishAll("connected to the broker"));

        await _mqtt.SubscribeAsync(_topics.HomeAssistantStatus, MqttQualityOfService.AtLeastOnce, OnHomeAssistantStatusAsync, cancellationToken);
        await _mqtt.SubscribeAsync(_topics.DeviceConfigFilter, MqttQualityOfService.AtLeastOnce, OnDiscoveryConfigAsync, cancellationToken);
        if (_mqtt.IsConnected)
        {
            Post(new PublisherWork.PublishAll("start-up"));
        }

        await base.StartAsync(cancellationToken);
    }

    /// <summary>Publishes what is already queued (the last events above all), within a bound, then stops.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _inbox.Writer.TryComplete();
        if (ExecuteTask is { } loop)
        {
            try
            {
                await loop.WaitAsync(DrainLimit, cancellationToken);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                // The broker is gone or too slow: what is left is lost with it, and "offline" says so.
            }
        }

        await _staleTimer.DisposeAsync();
        await base.StopAsync(cancellationToken);
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
                ArmStaleTimer();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The restore_source select of a device changed: its state goes out again.</summary>
    public void SelectionChanged(Mac mac) => Post(new PublisherWork.DeviceChanged(mac, DeviceChange.None));

    private static PublisherWork Event<T>(T payload, JsonTypeInfo<T> type) => new PublisherWork.Event(JsonSerializer.SerializeToUtf8Bytes(payload, type));

    private void Post(PublisherWork work) => _inbox.Writer.TryWrite(work);

    private async Task ProcessAsync(List<PublisherWork> batch, CancellationToken cancellationToken)
    {
        var pending = new List<OutgoingMessage>();
        var now = _time.GetUtcNow();
        if (batch.FindLast(w => w is PublisherWork.PublishAll) is PublisherWork.PublishAll all)
        {
            // Everything is republished anyway; the device and hub changes of this batch are part of it.
            if (await PublishAllAsync(all.Reason, now, pending, cancellationToken))
            {
                _statesPublishedAt = now;
            }
        }
        else if (batch.Exists(w => w is PublisherWork.TimePassed))
        {
            foreach (var device in _registry.Snapshot())
            {
                await PublishDeviceAsync(device, now, force: false, configs: false, states: true, pending, cancellationToken);
            }

            PublishHub(now, force: false, pending);
            _statesPublishedAt = now;
        }
        else
        {
            var devices = batch.OfType<PublisherWork.DeviceChanged>().ToList();
            foreach (var group in devices.GroupBy(w => w.Mac))
            {
                // The config (and its serialization) is looked at when the device itself changed, or its kept backups
                // did (the restore_source select lists them); anything else changes states only.
                var configs = group.Any(w => (w.Change & (DeviceChange.Added | DeviceChange.Identity | DeviceChange.Visibility | DeviceChange.Backup)) != 0);
                if (_registry.Find(group.Key) is { } device)
                {
                    await PublishDeviceAsync(device, now, force: false, configs, states: true, pending, cancellationToken);
                }
            }

            // The hub counts devices and sums up their problems: any device change may change it.
            if (devices.Count > 0 || batch.Exists(w => w is PublisherWork.HubChanged))
            {
                PublishHub(now, force: false, pending);
            }
        }

        foreach (var work in batch)
        {
            switch (work)
            {
                case PublisherWork.Event e:
                    // Events are not retained: they must reach automations now or, after an outage, from the queue.
                    pending.Add(new(_mqtt.PublishAsync(new MqttMessage(_topics.Event, e.Payload, MqttQualityOfService.AtLeastOnce), cancellationToken)));
                    break;
                case PublisherWork.ClearOrphan orphan:
                    _published.Remove(orphan.Topic);
                    pending.Add(new(_mqtt.PublishAsync(new MqttMessage(orphan.Topic, ReadOnlyMemory<byte>.Empty, MqttQualityOfService.AtLeastOnce, retain: true), cancellationToken)));
                    HomeAssistantLog.ClearedOrphan(_logger, orphan.Topic);
                    break;
            }
        }

        await AwaitAllAsync(pending);
    }

    private async Task<bool> PublishAllAsync(string reason, DateTimeOffset now, List<OutgoingMessage> pending, CancellationToken cancellationToken)
    {
        if (!_mqtt.IsConnected)
        {
            return false;
        }

        var devices = _registry.Snapshot();
        Publish(_topics.HubConfig, DiscoveryPayloads.Hub(_topics, GuardianInfo.Version, _link.ConfigurationUrl), HomeAssistantJsonContext.Relaxed.DiscoveryPayload, force: true, pending);
        foreach (var device in devices)
        {
            await PublishDeviceAsync(device, now, force: true, configs: true, states: false, pending, cancellationToken);
        }

        // States after configs, so Home Assistant has the entities subscribed when their values arrive.
        PublishHub(now, force: true, pending);
        foreach (var device in devices)
        {
            await PublishDeviceAsync(device, now, force: true, configs: false, states: true, pending, cancellationToken);
        }

        HomeAssistantLog.PublishedAll(_logger, devices.Count(d => !d.HiddenInHomeAssistant), reason);
        PublishedAll?.Invoke(this, EventArgs.Empty);
        return true;
    }

    private void PublishHub(DateTimeOffset now, bool force, List<OutgoingMessage> pending)
    {
        var problems = DiscoveryPayloads.HubAttributes(_registry.Snapshot(), now, _options.StaleDays, _hubProblems.Snapshot());
        Publish(_topics.HubState, DiscoveryPayloads.HubState(_worker.Status, _registry.Count, problems.Any), HomeAssistantJsonContext.Relaxed.HubStatePayload, force, pending);
        Publish(_topics.HubAttributes, problems, HomeAssistantJsonContext.Relaxed.HubAttributesPayload, force, pending);
        Publish(_topics.HubRunAttributes, DiscoveryPayloads.RunAttributes(_worker.Status), HomeAssistantJsonContext.Relaxed.RunAttributesPayload, force, pending);
    }

    private async Task PublishDeviceAsync(Device device, DateTimeOffset now, bool force, bool configs, bool states, List<OutgoingMessage> pending, CancellationToken cancellationToken)
    {
        var mac = device.Mac;
        if (device.HiddenInHomeAssistant)
        {
            // Forget what was sent, so that the device is published in full when it comes back.
            _published.Remove(_topics.DeviceConfig(mac));
            _published.Remove(_topics.DeviceState(mac));
            _published.Remove(_topics.DeviceAttributes(mac));
            _published.Remove(_topics.DeviceBackupAttributes(mac));
            _published.Remove(_topics.DeviceRestoreAttributes(mac));
            return;
        }

        var kind = _kinds.For(device.Type);
        var choices = kind.Restore is null ? null : await ChoicesAsync(device, cancellationToken);
        if (configs)
        {
            Publish(_topics.DeviceConfig(mac), DiscoveryPayloads.Device(device, _topics, GuardianInfo.Version, kind.DisplayName, choices), HomeAssistantJsonContext.Relaxed.DiscoveryPayload, force, pending);
        }

        if (states)
        {
            var source = choices is null ? BackupChoices.None : DiscoveryPayloads.RestoreSource(choices, _selection.For(mac));
            Publish(_topics.DeviceState(mac), DiscoveryPayloads.DeviceState(device, now, _options.StaleDays, source), HomeAssistantJsonContext.Relaxed.DeviceStatePayload, force, pending);
            Publish(_topics.DeviceAttributes(mac), DiscoveryPayloads.DeviceAttributes(device, now, _options.StaleDays), HomeAssistantJsonContext.Relaxed.DeviceAttributesPayload, force, pending);
            Publish(_topics.DeviceBackupAttributes(mac), DiscoveryPayloads.BackupAttributes(device), HomeAssistantJsonContext.Relaxed.BackupAttributesPayload, force, pending);
            if (choices is not null)
            {
                Publish(_topics.DeviceRestoreAttributes(mac), DiscoveryPayloads.RestoreAttributes(device), HomeAssistantJsonContext.Relaxed.RestoreAttributesPayload, force, pending);
            }
        }
    }

    private async Task<IReadOnlyList<BackupChoice>> ChoicesAsync(Device device, CancellationToken cancellationToken)
    {
        try
        {
            return await _choices.ForAsync(device, cancellationToken);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            // The select then offers nothing until the next change; every other entity is still published.
            HomeAssistantLog.ChoicesUnreadable(_logger, device.Name, ex.Message);
            return [];
        }
    }

    private void Publish<T>(string topic, T payload, JsonTypeInfo<T> type, bool force, List<OutgoingMessage> pending)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(payload, type);
        var hash = SHA256.HashData(bytes);
        if (!force && _published.TryGetValue(topic, out var last) && last.AsSpan().SequenceEqual(hash))
        {
            return;
        }

        // While offline, retained topics are not queued: everything is republished on reconnection anyway.
        if (!_mqtt.IsConnected)
        {
            return;
        }

        pending.Add(new(_mqtt.PublishAsync(new MqttMessage(topic, bytes, MqttQualityOfService.AtLeastOnce, retain: true), _stopping), topic, hash));
    }

    /// <summary>Wakes the loop when the next device turns stale, so its problem shows without waiting for anything else.</summary>
    private void ArmStaleTimer()
    {
        var next = _registry.Snapshot()
            .Select(d => BackupProblem.StaleSince(d, _options.StaleDays))
            .Where(due => due > _statesPublishedAt)
            .Min();
        var wait = next is { } due ? due - _time.GetUtcNow() : Timeout.InfiniteTimeSpan;
        if (wait != Timeout.InfiniteTimeSpan && wait < TimeSpan.Zero)
        {
            // It turned stale while the last batch was being published: at once.
            wait = TimeSpan.Zero;
        }
        else if (wait > LongestStaleWait)
        {
            wait = LongestStaleWait;
        }

        _staleTimer.Change(wait, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Waits, within <see cref="PublisherSettings.AcknowledgementWait"/> for the whole batch, for the broker to
    /// acknowledge what was sent, remembering each retained payload it did acknowledge. One still unacknowledged stays
    /// with the client (it may yet arrive) but is not remembered: the next time it is due it goes out again.
    /// </summary>
    private async Task AwaitAllAsync(List<OutgoingMessage> pending)
    {
        var started = _time.GetTimestamp();
        var unacknowledged = 0;
        foreach (var message in pending)
        {
            try
            {
                var left = _settings.AcknowledgementWait - _time.GetElapsedTime(started);
                await message.Acknowledged.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, _time);
                if (message.Topic is { } topic)
                {
                    _published[topic] = message.PayloadHash!;
                }
            }
            catch (TimeoutException)
            {
                unacknowledged++;
            }
            catch (MqttException ex)
            {
                HomeAssistantLog.PublishFailed(_logger, message.Topic ?? "(queued message)", ex.Message);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
        }

        if (unacknowledged > 0)
        {
            HomeAssistantLog.NotAcknowledged(_logger, unacknowledged, _settings.AcknowledgementWait.TotalSeconds);
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
            Post(new PublisherWork.PublishAll("Home Assistant came online"));
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

        // A device stored by a newer version keeps its entities as that version made them.
        if (message.Retain && known is null && !_registry.IsUnsupported(mac))
        {
            Post(new PublisherWork.ClearOrphan(message.Topic));
        }
    }
}
