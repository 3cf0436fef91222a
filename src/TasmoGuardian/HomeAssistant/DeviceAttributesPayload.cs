using System.Text.Json.Serialization;

namespace TasmoGuardian.HomeAssistant;

/// <summary>The attributes of <c>last_result</c>: the failure reason (null after a success) and context.</summary>
internal sealed record DeviceAttributesPayload(
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("last_attempt")] string? LastAttempt,
    [property: JsonPropertyName("ip")] string? Ip,
    [property: JsonPropertyName("mac")] string Mac);
