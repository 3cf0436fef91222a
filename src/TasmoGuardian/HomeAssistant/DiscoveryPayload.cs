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

    [JsonPropertyName("hw_version")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HwVersion { get; init; }

    [JsonPropertyName("configuration_url")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ConfigurationUrl { get; init; }

    [JsonPropertyName("via_device")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ViaDevice { get; init; }
}

/// <summary>Who published the config: shown in Home Assistant's MQTT device info.</summary>
internal sealed class DiscoveryOrigin
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("sw_version")]
    public required string SwVersion { get; init; }

    [JsonPropertyName("support_url")]
    public required string SupportUrl { get; init; }
}

/// <summary>One availability topic; every entity lists <c>{base}/status</c>.</summary>
internal sealed class DiscoveryAvailability
{
    [JsonPropertyName("topic")]
    public required string Topic { get; init; }
}

/// <summary>One entity of a device-based discovery payload; unset keys are left out.</summary>
internal sealed record DiscoveryComponent
{
    [JsonPropertyName("platform")]
    public required string Platform { get; init; }

    [JsonPropertyName("unique_id")]
    public required string UniqueId { get; init; }

    [JsonPropertyName("default_entity_id")]
    public required string DefaultEntityId { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("icon")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Icon { get; init; }

    [JsonPropertyName("device_class")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DeviceClass { get; init; }

    [JsonPropertyName("entity_category")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EntityCategory { get; init; }

    [JsonPropertyName("command_topic")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CommandTopic { get; init; }

    [JsonPropertyName("state_topic")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StateTopic { get; init; }

    [JsonPropertyName("value_template")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ValueTemplate { get; init; }

    [JsonPropertyName("json_attributes_topic")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? JsonAttributesTopic { get; init; }

    [JsonPropertyName("unit_of_measurement")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UnitOfMeasurement { get; init; }

    [JsonPropertyName("state_class")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StateClass { get; init; }

    [JsonPropertyName("options")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Options { get; init; }

    [JsonPropertyName("enabled_by_default")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? EnabledByDefault { get; init; }

    [JsonPropertyName("event_types")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? EventTypes { get; init; }
}
