using System.Text.Json.Serialization;

namespace TasmoGuardian.HomeAssistant;

internal sealed class DiscoveryAvailability
{
    [JsonPropertyName("topic")]
    public required string Topic { get; init; }
}
