using System.Text.Json.Serialization;

namespace TasmoGuardian.HomeAssistant;

/// <summary>The hub problem sensor's attributes: the names of the included devices with a backup problem, sorted.</summary>
internal sealed record HubAttributesPayload([property: JsonPropertyName("devices")] IReadOnlyList<string> Devices);
