using System.Text.Json.Serialization;

namespace TasmoGuardian.HomeAssistant;

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
