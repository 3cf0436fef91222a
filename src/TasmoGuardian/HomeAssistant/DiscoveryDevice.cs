using System.Text.Json.Serialization;

namespace TasmoGuardian.HomeAssistant;

/// <summary>The <c>device</c> block. Home Assistant validates it strictly: only keys of its schema may appear.</summary>
internal sealed class DiscoveryDevice
{
    [JsonPropertyName("identifiers")]
    public required IReadOnlyList<string> Identifiers { get; init; }

    [JsonPropertyName("connections")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<IReadOnlyList<string>>? Connections { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("manufacturer")]
    public required string Manufacturer { get; init; }

    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("sw_version")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SwVersion { get; init; }

    [JsonPropertyName("configuration_url")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ConfigurationUrl { get; init; }

    [JsonPropertyName("via_device")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ViaDevice { get; init; }
}
