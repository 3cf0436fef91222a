using System.Text.Json.Serialization;

namespace TasmoGuardian.HomeAssistant;

/// <summary>A device-based discovery message: <c>{prefix}/device/{id}/config</c>.</summary>
internal sealed class DiscoveryPayload
{
    [JsonPropertyName("device")]
    public required DiscoveryDevice Device { get; init; }

    [JsonPropertyName("origin")]
    public required DiscoveryOrigin Origin { get; init; }

    [JsonPropertyName("availability")]
    public required IReadOnlyList<DiscoveryAvailability> Availability { get; init; }

    [JsonPropertyName("qos")]
    public int Qos { get; init; } = 1;

    [JsonPropertyName("components")]
    public required Dictionary<string, DiscoveryComponent> Components { get; init; }
}
