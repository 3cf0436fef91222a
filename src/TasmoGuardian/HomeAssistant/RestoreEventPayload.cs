using System.Text.Json.Serialization;

namespace TasmoGuardian.HomeAssistant;

/// <summary>
/// <c>restore_succeeded</c> or <c>restore_failed</c> on the hub's event entity; never retained. Every key is always
/// there: <c>device</c> and <c>mac</c> name the device the backup was made from, <c>target</c> the MAC it went onto,
/// <c>reason</c> is null on success.
/// </summary>
internal sealed record RestoreEventPayload(
    [property: JsonPropertyName("event_type")] string EventType,
    [property: JsonPropertyName("device")] string Device,
    [property: JsonPropertyName("mac")] string Mac,
    [property: JsonPropertyName("backup")] string Backup,
    [property: JsonPropertyName("target")] string Target,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("pre_restore_backup")] string? PreRestoreBackup);
