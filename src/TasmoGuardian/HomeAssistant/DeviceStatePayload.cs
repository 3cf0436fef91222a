using System.Text.Json.Serialization;

namespace TasmoGuardian.HomeAssistant;

/// <summary>A device's retained state; unknown values are JSON null.</summary>
internal sealed record DeviceStatePayload(
    [property: JsonPropertyName("last_backup")] string? LastBackup,
    [property: JsonPropertyName("backups")] int Backups,
    [property: JsonPropertyName("last_result")] string LastResult,
    [property: JsonPropertyName("version")] string? Version,
    [property: JsonPropertyName("backup_size")] long? BackupSize,
    [property: JsonPropertyName("include")] bool Include,
    [property: JsonPropertyName("problem")] bool Problem);
