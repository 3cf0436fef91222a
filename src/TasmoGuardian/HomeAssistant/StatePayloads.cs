using System.Text.Json.Serialization;

namespace TasmoGuardian.HomeAssistant;

// The retained state and attribute payloads: what the entities' value templates read (contract.md, "State payloads").

/// <summary>The hub's retained state; unknown values are JSON null.</summary>
internal sealed record HubStatePayload(
    [property: JsonPropertyName("running")] bool Running,
    [property: JsonPropertyName("progress")] int Progress,
    [property: JsonPropertyName("last_run")] string? LastRun,
    [property: JsonPropertyName("backed_up")] int BackedUp,
    [property: JsonPropertyName("skipped")] int Skipped,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("devices")] int Devices,
    [property: JsonPropertyName("problem")] bool Problem);

/// <summary>
/// The hub problem sensor's attributes: the names of the included devices with a backup problem, sorted; why the
/// backups are not where the database says (null while they are); configured devices that cannot be identified; stored
/// devices of a type this version does not know.
/// </summary>
internal sealed record HubAttributesPayload(
    [property: JsonPropertyName("devices")] IReadOnlyList<string> Devices,
    [property: JsonPropertyName("storage")] string? Storage,
    [property: JsonPropertyName("unidentified")] IReadOnlyList<UnidentifiedDevicePayload> Unidentified,
    [property: JsonPropertyName("unsupported")] IReadOnlyList<UnsupportedDevicePayload> Unsupported)
{
    [JsonIgnore]
    public bool Any => Devices.Count > 0 || Storage is not null || Unidentified.Count > 0 || Unsupported.Count > 0;
}

/// <summary>A device given in the <c>devices</c> option that cannot be identified: its host, type and why.</summary>
internal sealed record UnidentifiedDevicePayload(
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("reason")] string Reason);

/// <summary>A stored device whose type this version does not know.</summary>
internal sealed record UnsupportedDevicePayload(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("mac")] string Mac,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("reason")] string Reason);

/// <summary>A device's retained state; unknown values are JSON null.</summary>
internal sealed record DeviceStatePayload(
    [property: JsonPropertyName("last_backup")] string? LastBackup,
    [property: JsonPropertyName("backups")] int Backups,
    [property: JsonPropertyName("last_result")] string LastResult,
    [property: JsonPropertyName("version")] string? Version,
    [property: JsonPropertyName("backup_size")] long? BackupSize,
    [property: JsonPropertyName("include")] bool Include,
    [property: JsonPropertyName("problem")] bool Problem,
    [property: JsonPropertyName("last_restore")] string LastRestore,
    [property: JsonPropertyName("restore_source")] string RestoreSource);

/// <summary>The attributes of <c>last_restore</c>: file names relative to backup_dir; all null before the first restore.</summary>
internal sealed record RestoreAttributesPayload(
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("backup")] string? Backup,
    [property: JsonPropertyName("pre_restore_backup")] string? PreRestoreBackup,
    [property: JsonPropertyName("finished")] string? Finished);

/// <summary>
/// The attributes of <c>last_result</c> and <c>problem</c>: the failure reason (null after a success), what the
/// problem is (null when there is none), and context.
/// </summary>
internal sealed record DeviceAttributesPayload(
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("problem")] string? Problem,
    [property: JsonPropertyName("last_attempt")] string? LastAttempt,
    [property: JsonPropertyName("ip")] string? Ip,
    [property: JsonPropertyName("mac")] string Mac);

/// <summary>
/// The attributes of <c>last_backup</c>: how the newest backup compared with the one before it (contract.md, "What
/// changed"). <c>changed</c> is null when it cannot be told (<c>changes_unknown</c> says why), and before the first
/// comparison; <c>changes</c> holds at most 20 names, <c>more</c> counts the rest.
/// </summary>
internal sealed record BackupAttributesPayload(
    [property: JsonPropertyName("changed")] bool? Changed,
    [property: JsonPropertyName("changes")] IReadOnlyList<string> Changes,
    [property: JsonPropertyName("more")] int More,
    [property: JsonPropertyName("compared_with")] string? ComparedWith,
    [property: JsonPropertyName("changes_unknown")] string? ChangesUnknown);

/// <summary>The attributes of the hub's <c>last_run</c>: the names of the devices whose configuration changed in the last backup-all, sorted.</summary>
internal sealed record RunAttributesPayload(
    [property: JsonPropertyName("changed_devices")] IReadOnlyList<string> ChangedDevices);
