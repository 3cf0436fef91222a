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

/// <summary>The hub problem sensor's attributes: the names of the included devices with a backup problem, sorted.</summary>
internal sealed record HubAttributesPayload([property: JsonPropertyName("devices")] IReadOnlyList<string> Devices);

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
