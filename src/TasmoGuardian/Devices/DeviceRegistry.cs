using Microsoft.Extensions.Logging;

namespace TasmoGuardian.Devices;

/// <summary>
/// Every known device, one per MAC, kept in memory and in the <c>devices</c> table. Sources report what they saw;
/// the registry merges it, stores what changed and tells listeners. Devices are never forgotten.
/// Every change (an observation, a backup result, a switch, a deletion in Home Assistant) goes through one path that
/// holds one lock while it reads the current value, applies the change to it, stores it and puts it in place: no
/// change can work on a copy another change has made stale.
/// </summary>
internal sealed class DeviceRegistry
{
    private readonly IDeviceStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<DeviceRegistry> _logger;
    private readonly Lock _read = new();
    private readonly Dictionary<Mac, Device> _devices = [];
    private readonly Dictionary<Mac, Device> _unsupported = [];
    private readonly HubProblems _problems;
    private readonly SemaphoreSlim _changes = new(1, 1);

    public DeviceRegistry(IDeviceStore store, HubProblems problems, TimeProvider time, ILogger<DeviceRegistry> logger)
    {
        _store = store;
        _problems = problems;
        _time = time;
        _logger = logger;
    }

    public event EventHandler<DeviceChangedEventArgs>? Changed;

    public int Count
    {
        get
        {
            lock (_read)
            {
                return _devices.Count;
            }
        }
    }

    /// <summary>Loads the stored devices. A name or host that came from a <c>devices</c> entry no longer in the options stops winning.</summary>
    public async Task LoadAsync(IEnumerable<string> configuredHosts, CancellationToken cancellationToken)
    {
        var hosts = configuredHosts.ToHashSet(StringComparer.OrdinalIgnoreCase);

        // Start-up repair may have changed backup rows: the counts follow them before anyone reads a device.
        await _store.RecountAllAsync(cancellationToken);
        var rows = await _store.LoadAllAsync(cancellationToken);
        foreach (var unsupported in rows.Unsupported)
        {
            lock (_read)
            {
                _unsupported[unsupported.Mac] = unsupported;
            }

            var type = ((int)unsupported.Type).ToString(System.Globalization.CultureInfo.InvariantCulture);
            DeviceLog.Unsupported(_logger, unsupported.Name, unsupported.Mac.ToString(), type);
            _problems.Set(new HubProblem(
                HubProblemKind.Unsupported,
                unsupported.Mac.ToString(),
                $"stored with device type {type}, which this version does not know (the database was written by a newer version); it is kept as it is and not backed up until that version runs again",
                unsupported.Name,
                type));
        }

        foreach (var stored in rows.Known)
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

            Put(device);
        }

        DeviceLog.Loaded(_logger, Count);
    }

    /// <summary>Sorted by name, for listings and backup-all.</summary>
    public IReadOnlyList<Device> Snapshot()
    {
        lock (_read)
        {
            return [.. _devices.Values.OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.Mac)];
        }
    }

    /// <summary>Stored with a type this version does not know (see <see cref="StoredDevices"/>).</summary>
    public bool IsUnsupported(Mac mac)
    {
        lock (_read)
        {
            return _unsupported.ContainsKey(mac);
        }
    }

    public Device? Find(Mac mac)
    {
        lock (_read)
        {
            return _devices.GetValueOrDefault(mac);
        }
    }

    public IReadOnlyList<Device> FindByName(string name)
    {
        lock (_read)
        {
            return [.. _devices.Values.Where(d => string.Equals(d.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))];
        }
    }

    /// <summary>Merges what a source saw (adding the device if it is new). Returns the device as it is now.</summary>
    public async Task<Device> ApplyAsync(DeviceObservation observation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observation);
        await _changes.WaitAsync(cancellationToken);
        Device result;
        DeviceChange change;
        try
        {
            var known = Find(observation.Mac);
            var existing = known ?? Adopt(observation.Mac);
            if (existing is null)
            {
                var created = Create(observation, _time.GetUtcNow());
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
                if (known is null)
                {
                    change |= DeviceChange.Added;
                }

                if (existing.HiddenInHomeAssistant != result.HiddenInHomeAssistant)
                {
                    change |= DeviceChange.Visibility;
                }

                if (identityChanged)
                {
                    DeviceLog.Updated(_logger, result.Name, result.Mac.ToString(), result.Address ?? "-", result.Version ?? "-");
                }
            }

            Put(result);

            // Still under the lock: listeners hear the changes in the order they were made (the Tasmota topic index
            // keeps the last device it heard of, so an older copy must never come after a newer one).
            Raise(result, change);
        }
        finally
        {
            _changes.Release();
        }

        return result;
    }

    /// <summary>Home Assistant deleted the device (hidden) or it should be shown again.</summary>
    public Task SetHiddenInHomeAssistantAsync(Mac mac, bool hidden, CancellationToken cancellationToken) =>
        ChangeAsync(mac, d => d with { HiddenInHomeAssistant = hidden }, UpdateStoredAsync, DeviceChange.Visibility, cancellationToken);

    /// <summary>The "Include in backup all" switch; kept in the database.</summary>
    public Task SetIncludeAsync(Mac mac, bool include, CancellationToken cancellationToken) =>
        ChangeAsync(mac, d => d with { Include = include }, (_, device, token) => _store.SetIncludeAsync(device.Id, include, token), DeviceChange.Include, cancellationToken);

    /// <summary>
    /// A saved backup: its row, the device's counts and its last result, in one transaction, then in memory. The
    /// registry is the one writer of the devices row.
    /// </summary>
    /// <returns>The new backup row's id.</returns>
    public async Task<long> RecordBackupAsync(Mac mac, BackupRecord record, DateTimeOffset succeededAt, BackupComparison comparison, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(comparison);
        long id = 0;
        await UnderLockAsync(mac, async current =>
        {
            (var summary, id) = await _store.RecordBackupAsync(record with { DeviceId = current.Id }, succeededAt, comparison, cancellationToken);
            return Succeeded(current, summary, succeededAt, comparison);
        }, DeviceChange.Backup, mustBeKnown: true, cancellationToken);
        return id;
    }

    /// <summary>
    /// A successful backup that kept no file because nothing changed (store_unchanged off): the stored backup
    /// <paramref name="backupId"/> holds this configuration as of <paramref name="succeededAt"/>, so the device's last
    /// backup and last result move on (the skip rule and the stale problem see a backed-up device) while its count stays.
    /// </summary>
    public Task RecordUnchangedAsync(Mac mac, long backupId, DateTimeOffset succeededAt, BackupComparison comparison, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return UnderLockAsync(mac, async current =>
        {
            var summary = await _store.RecordUnchangedAsync(current.Id, backupId, succeededAt, comparison, cancellationToken);
            return Succeeded(current, summary, succeededAt, comparison);
        }, DeviceChange.Backup, mustBeKnown: true, cancellationToken);
    }

    /// <summary>Forgets backup rows (retention, or files the user deleted on purpose) and recounts the device.</summary>
    public Task ForgetBackupsAsync(Mac mac, IReadOnlyCollection<long> backupIds, CancellationToken cancellationToken) =>
        UnderLockAsync(mac, async current => WithSummary(current, await _store.ForgetBackupsAsync(current.Id, backupIds, cancellationToken)), DeviceChange.Backup, mustBeKnown: true, cancellationToken);

    /// <summary>A restore onto the device started or ended (the restores table has it already).</summary>
    public Task SetRestoreStateAsync(Mac mac, RestoreState state, CancellationToken cancellationToken) =>
        ChangeAsync(mac, d => d with { LastRestore = state }, null, DeviceChange.Restore, cancellationToken);

    /// <summary>
    /// A backup attempt failed: stored and shown. If the database cannot take it, the failure is still shown (it is
    /// what the user must see) and the database error goes to the caller.
    /// </summary>
    public async Task RecordFailureAsync(Mac mac, string reason, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        Exception? storeError = null;
        await ChangeAsync(
            mac,
            d => d with { LastResult = BackupResultState.Failed, LastReason = reason, LastAttempt = now },
            async (_, device, token) =>
            {
                try
                {
                    await _store.RecordFailureAsync(device.Id, reason, now, token);
                }
                catch (Microsoft.Data.Sqlite.SqliteException ex)
                {
                    storeError = ex;
                }
            },
            DeviceChange.Backup,
            cancellationToken);
        if (storeError is not null)
        {
            throw storeError;
        }
    }

    /// <summary>
    /// A device stored with a type this version does not know, now seen as a kind it does: the observation says what it
    /// is, so its row (history and all) is taken over instead of a second row for the same MAC.
    /// </summary>
    private Device? Adopt(Mac mac)
    {
        Device? stored;
        lock (_read)
        {
            if (_unsupported.Remove(mac, out stored))
            {
                _problems.Clear(HubProblemKind.Unsupported, mac.ToString());
            }
        }

        return stored;
    }

    private static Device Succeeded(Device device, BackupSummary summary, DateTimeOffset at, BackupComparison comparison) =>
        WithSummary(device, summary) with { LastResult = BackupResultState.Success, LastReason = null, LastAttempt = at, LastComparison = comparison };

    private static Device WithSummary(Device device, BackupSummary summary) =>
        device with { NoOfBackups = summary.NoOfBackups, LastBackup = summary.LastBackup, LastBackupSize = summary.LastSize };

    /// <summary>
    /// The lock, the change, and then the new value in place and listeners told (only when it differs). A change may
    /// store first; what it returns is what the store now holds. A backup recorded for a device the registry does not
    /// know is a bug (<paramref name="mustBeKnown"/>); a switch or a visibility change for one is simply nothing to do.
    /// </summary>
    private async Task UnderLockAsync(Mac mac, Func<Device, Task<Device>> change, DeviceChange kind, bool mustBeKnown, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken);
        try
        {
            if (Find(mac) is not { } current)
            {
                if (mustBeKnown)
                {
                    throw new InvalidOperationException($"{mac} is not a known device.");
                }

                return;
            }

            var result = await change(current);
            if (result == current)
            {
                return;
            }

            Put(result);

            // Still under the lock: listeners hear the changes in the order they were made.
            Raise(result, kind);
        }
        finally
        {
            _changes.Release();
        }
    }

    private static Device Create(DeviceObservation observation, DateTimeOffset now) => new()
    {
        Mac = observation.Mac,
        Name = observation.Name ?? observation.Mac.ToString(),
        NameSource = observation.Name is null ? NameSource.Mac : observation.NameSource,
        Type = observation.Type,
        Ip = observation.Ip,
        ConfiguredHost = observation.ConfiguredHost,
        Version = observation.Version,
        Model = observation.Model,
        Platform = observation.Platform,
        Hostname = observation.Hostname,
        KindData = observation.KindData,
        Online = observation.Online,
        FirstSeen = now,
    };

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
            Platform = o.Platform ?? existing.Platform,
            Hostname = o.Hostname ?? existing.Hostname,
            KindData = o.KindData ?? existing.KindData,
            Online = o.Online ?? existing.Online,
        };
    }

    private static bool SameIdentity(Device a, Device b) =>
        a.Name == b.Name && a.Type == b.Type && a.Ip == b.Ip && a.ConfiguredHost == b.ConfiguredHost && a.Version == b.Version
        && a.Model == b.Model && a.Platform == b.Platform && a.Hostname == b.Hostname && a.KindData == b.KindData;

    /// <summary>
    /// The one path for changing a known device: under the lock, <paramref name="change"/> is applied to the current
    /// value, <paramref name="persist"/> stores the result (null: the database is up to date already), and the result
    /// replaces the current value. Listeners hear of it before the lock is released, so in order; they must not wait
    /// on the registry themselves.
    /// </summary>
    private Task ChangeAsync(Mac mac, Func<Device, Device> change, Func<Device, Device, CancellationToken, Task>? persist, DeviceChange kind, CancellationToken cancellationToken) =>
        UnderLockAsync(
            mac,
            async current =>
            {
                var result = change(current);
                if (result != current && persist is not null)
                {
                    await persist(current, result, cancellationToken);
                }

                return result;
            },
            kind,
            mustBeKnown: false,
            cancellationToken);

    private Task UpdateStoredAsync(Device previous, Device next, CancellationToken cancellationToken) => _store.UpdateAsync(next, cancellationToken);

    private void Put(Device current)
    {
        lock (_read)
        {
            _devices[current.Mac] = current;
        }
    }

    private void Raise(Device device, DeviceChange change) => Changed?.Invoke(this, new DeviceChangedEventArgs(device, change));
}
