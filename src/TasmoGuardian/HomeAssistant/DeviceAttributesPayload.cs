using System.Text.Json.Serialization;

namespace TasmoGuardian.HomeAssistant;

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
