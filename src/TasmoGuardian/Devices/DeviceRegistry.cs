using Microsoft.Extensions.Logging;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices.Tasmota;
using TasmoGuardian.Storage;

namespace TasmoGuardian.Devices;

/// <summary>
/// Every known device, one per MAC, kept in memory and in the <c>devices</c> table. Sources report what they saw;
/// the registry merges it, stores what changed and tells listeners. Devices are never forgotten.
/// </summary>
internal sealed class DeviceRegistry
{
    private readonly DeviceStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<DeviceRegistry> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<Mac, Device> _devices = [];
    private readonly Dictionary<string, Mac> _topicBases = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writes = new(1, 1);

    public DeviceRegistry(DeviceStore store, TimeProvider time, ILogger<DeviceRegistry> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    public event EventHandler<DeviceChangedEventArgs>? Changed;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _devices.Count;
            }
        }
    }

    /// <summary>Loads the stored devices. A name or host that came from a <c>devices</c> entry no longer in the options stops winning.</summary>
    public async Task LoadAsync(IReadOnlyList<DeviceOption> configured, CancellationToken cancellationToken)
    {
        var hosts = configured.Select(d => d.Host).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var stored in await _store.LoadAllAsync(cancellationToken))
        {
            var device = stored;
            if (device.ConfiguredHost is { } host && !hosts.Contains(host))
            {
                device = device with
                {
                    ConfiguredHost = null,
                    NameSource = device.NameSource == NameSource.Option ? NameSource.DeviceName : device.NameSource,
                };
                await _store.UpdateAsync(device, cancellationToken);
            }

            lock (_gate)
            {
                _devices[device.Mac] = device;
                IndexTopics(null, device);
            }
        }

        DeviceLog.Loaded(_logger, Count);
    }

    /// <summary>Sorted by name, for listings and backup-all.</summary>
    public IReadOnlyList<Device> Snapshot()
    {
        lock (_gate)
        {
            return [.. _devices.Values.OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.Mac)];
        }
    }

    public Device? Find(Mac mac)
    {
        lock (_gate)
        {
            return _devices.GetValueOrDefault(mac);
        }
    }

    public IReadOnlyList<Device> FindByName(string name)
    {
        lock (_gate)
        {
            return [.. _devices.Values.Where(d => string.Equals(d.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))];
        }
    }

    /// <summary>Which device publishes under a base topic such as "stat/kitchen/".</summary>
    public Mac? FindByTopicBase(string topicBase)
    {
        lock (_gate)
        {
            return _topicBases.TryGetValue(topicBase, out var mac) ? mac : null;
        }
    }

    /// <summary>Merges what a source saw. Returns the device as it is now.</summary>
    public async Task<Device> ApplyAsync(DeviceObservation observation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observation);
        Device result;
        DeviceChange change;
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var existing = Find(observation.Mac);
            if (existing is null)
            {
                var created = new Device
                {
                    Mac = observation.Mac,
                    Name = observation.Name ?? observation.Mac.ToString(),
                    NameSource = observation.Name is null ? NameSource.Mac : observation.NameSource,
                    Type = observation.Type,
                    Ip = observation.Ip,
                    ConfiguredHost = observation.ConfiguredHost,
                    Version = observation.Version,
                    Model = observation.Model,
                    Hostname = observation.Hostname,
                    Topic = observation.Topic,
                    Online = observation.Online,
                };
                result = created with { Id = await _store.InsertAsync(created, cancellationToken) };
                change = DeviceChange.Added | DeviceChange.Identity;
                DeviceLog.Discovered(_logger, result.Name, result.Mac.ToString(), result.Type.ToString(), result.Address ?? "(no address yet)");
            }
            else
            {
                result = Merge(existing, observation);
                if (result == existing)
                {
                    return existing;
                }

                var identityChanged = !SameIdentity(existing, result);
                if (identityChanged && result.HiddenInHomeAssistant)
                {
                    // Deleted in Home Assistant, seen again with new data: the user gets it back, as Zigbee2MQTT does.
                    result = result with { HiddenInHomeAssistant = false };
                }

                if (identityChanged || existing.NameSource != result.NameSource || existing.HiddenInHomeAssistant != result.HiddenInHomeAssistant)
                {
                    await _store.UpdateAsync(result, cancellationToken);
                }

                change = identityChanged ? DeviceChange.Identity : DeviceChange.Presence;
                if (existing.HiddenInHomeAssistant != result.HiddenInHomeAssistant)
                {
                    change |= DeviceChange.Visibility;
                }

                if (identityChanged)
                {
                    DeviceLog.Updated(_logger, result.Name, result.Mac.ToString(), result.Address ?? "-", result.Version ?? "-");
                }
            }

            Store(existing, result);
        }
        finally
        {
            _writes.Release();
        }

        Raise(result, change);
        return result;
    }

    /// <summary>Home Assistant deleted the device (hidden) or it should be shown again.</summary>
    public async Task SetHiddenInHomeAssistantAsync(Mac mac, bool hidden, CancellationToken cancellationToken)
    {
        Device? result;
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var existing = Find(mac);
            if (existing is null || existing.HiddenInHomeAssistant == hidden)
            {
                return;
            }

            result = existing with { HiddenInHomeAssistant = hidden };
            await _store.UpdateAsync(result, cancellationToken);
            Store(existing, result);
        }
        finally
        {
            _writes.Release();
        }

        Raise(result, DeviceChange.Visibility);
    }

    /// <summary>BackupStore has committed a backup or a pruning; bring the in-memory copy in line.</summary>
    public void OnBackupsChanged(Mac mac, BackupSummary summary, DateTimeOffset? succeededAt)
    {
        Device? result;
        lock (_gate)
        {
            if (!_devices.TryGetValue(mac, out var existing))
            {
                return;
            }

            result = existing with
            {
                NoOfBackups = summary.NoOfBackups,
                LastBackup = summary.LastBackup,
                LastBackupSize = summary.LastSize,
            };
            if (succeededAt is { } at)
            {
                result = result with { LastResult = BackupResultState.Success, LastReason = null, LastAttempt = at };
            }

            _devices[mac] = result;
        }

        Raise(result, DeviceChange.Backup);
    }

    public async Task RecordFailureAsync(Mac mac, string reason, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        Device? result;
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var existing = Find(mac);
            if (existing is null)
            {
                return;
            }

            await _store.RecordFailureAsync(existing.Id, reason, now, cancellationToken);
            result = existing with { LastResult = BackupResultState.Failed, LastReason = reason, LastAttempt = now };
            Store(existing, result);
        }
        finally
        {
            _writes.Release();
        }

        Raise(result, DeviceChange.Backup);
    }

    private static Device Merge(Device existing, DeviceObservation o)
    {
        var (name, source) = o.Name is not null && o.NameSource >= existing.NameSource
            ? (o.Name, o.NameSource)
            : (existing.Name, existing.NameSource);
        return existing with
        {
            Name = name,
            NameSource = source,
            Type = o.Type,
            Ip = o.Ip ?? existing.Ip,
            ConfiguredHost = o.ConfiguredHost ?? existing.ConfiguredHost,
            Version = o.Version ?? existing.Version,
            Model = o.Model ?? existing.Model,
            Hostname = o.Hostname ?? existing.Hostname,
            Topic = o.Topic ?? existing.Topic,
            Online = o.Online ?? existing.Online,
        };
    }

    private static bool SameIdentity(Device a, Device b) =>
        a.Name == b.Name && a.Type == b.Type && a.Ip == b.Ip && a.ConfiguredHost == b.ConfiguredHost && a.Version == b.Version
        && a.Model == b.Model && a.Hostname == b.Hostname && a.Topic == b.Topic;

    private static IEnumerable<string> TopicBases(Device device) => device.Topic is { } topic
        ? [TasmotaTopics.StatBase(topic, device.Hostname, device.Mac), TasmotaTopics.TelemetryBase(topic, device.Hostname, device.Mac)]
        : [];

    private void Store(Device? previous, Device current)
    {
        lock (_gate)
        {
            _devices[current.Mac] = current;
            IndexTopics(previous, current);
        }
    }

    private void IndexTopics(Device? previous, Device current)
    {
        if (previous is not null)
        {
            foreach (var old in TopicBases(previous))
            {
                if (_topicBases.TryGetValue(old, out var owner) && owner == previous.Mac)
                {
                    _topicBases.Remove(old);
                }
            }
        }

        foreach (var topicBase in TopicBases(current))
        {
            _topicBases[topicBase] = current.Mac;
        }
    }

    private void Raise(Device device, DeviceChange change) => Changed?.Invoke(this, new DeviceChangedEventArgs(device, change));
}
