using System.Text.Json.Serialization;

namespace TasmoGuardian.HomeAssistant;

internal sealed class DiscoveryOrigin
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("sw_version")]
    public required string SwVersion { get; init; }

    [JsonPropertyName("support_url")]
    public required string SupportUrl { get; init; }
}
