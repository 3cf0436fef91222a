using System.Text.Json.Serialization;

namespace TasmoGuardian.HomeAssistant;

/// <summary>
/// The <c>backup_succeeded</c> event. Every key is always there, null where a value is not known (an automation can
/// test <c>trigger.event.data.changed</c> without checking it exists), except <c>note</c>, which only kinds that leave
/// something out of every backup add.
/// </summary>
internal sealed class BackupSucceededPayload
{
    [JsonPropertyName("event_type")]
    public string EventType => "backup_succeeded";

    [JsonPropertyName("device")]
    public required string Device { get; init; }

    [JsonPropertyName("mac")]
    public required string Mac { get; init; }

    /// <summary>The backup's file relative to backup_dir; with <see cref="Stored"/> false, the earlier file that holds the same configuration.</summary>
    [JsonPropertyName("file")]
    public string? File { get; init; }

    [JsonPropertyName("size")]
    public long? Size { get; init; }

    /// <summary>False when nothing changed and store_unchanged is off: no new file was kept.</summary>
    [JsonPropertyName("stored")]
    public bool Stored { get; init; } = true;

    [JsonPropertyName("changed")]
    public bool? Changed { get; init; }

    [JsonPropertyName("changes")]
    public IReadOnlyList<string> Changes { get; init; } = [];

    [JsonPropertyName("more")]
    public int More { get; init; }

    [JsonPropertyName("compared_with")]
    public string? ComparedWith { get; init; }

    [JsonPropertyName("changes_unknown")]
    public string? ChangesUnknown { get; init; }

    [JsonPropertyName("note")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Note { get; init; }
}
