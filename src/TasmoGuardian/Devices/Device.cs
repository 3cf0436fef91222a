namespace TasmoGuardian.Devices;

/// <summary>One device as the program knows it: identity, how to reach it, and the state of its backups.</summary>
internal sealed record Device
{
    public long Id { get; init; }

    public required Mac Mac { get; init; }

    public required string Name { get; init; }

    public NameSource NameSource { get; init; }

    public DeviceType Type { get; init; }

    public string? Ip { get; init; }

    /// <summary>From the <c>devices</c> option; it wins over the learned IP for reaching the device.</summary>
    public string? ConfiguredHost { get; init; }

    public string? Version { get; init; }

    public string? Model { get; init; }

    /// <summary>The chip family ("ESP8266", "ESP32-C3", …) from the device or its newest backup; a restore must fit it.</summary>
    public string? Platform { get; init; }

    public string? Hostname { get; init; }

    /// <summary>What the device's kind needs to remember about it (Tasmota: its MQTT topic layout), in the kind's own form.</summary>
    public string? KindData { get; init; }

    /// <summary>From the device's LWT; null when unknown. Not stored: the next LWT tells again.</summary>
    public bool? Online { get; init; }

    /// <summary>The user deleted the device in Home Assistant: do not publish it until it changes.</summary>
    public bool HiddenInHomeAssistant { get; init; }

    /// <summary>The "Include in backup all" switch: off leaves the device out of backup-all entirely.</summary>
    public bool Include { get; init; } = true;

    /// <summary>When the program first knew the device: a device never backed up is stale counted from here.</summary>
    public DateTimeOffset? FirstSeen { get; init; }

    public DateTimeOffset? LastBackup { get; init; }

    public int NoOfBackups { get; init; }

    public long? LastBackupSize { get; init; }

    public BackupResultState LastResult { get; init; }

    public string? LastReason { get; init; }

    public DateTimeOffset? LastAttempt { get; init; }

    /// <summary>How the newest successful backup compared with the one before it; null before the first comparison.</summary>
    public BackupComparison? LastComparison { get; init; }

    /// <summary>The last restore onto this device; not stored here (the restores table keeps the history).</summary>
    public RestoreState LastRestore { get; init; } = RestoreState.Never;

    /// <summary>Host (and port) to reach the device at, or null while no address is known.</summary>
    public string? Address => ConfiguredHost ?? Ip;
}
