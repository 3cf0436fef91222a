using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TasmoGuardian.HomeAssistant;

/// <summary>Every type this program sends to Home Assistant as JSON, serialized without reflection (trim- and AOT-safe).</summary>
[JsonSourceGenerationOptions(WriteIndented = false, GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(DiscoveryPayload))]
[JsonSerializable(typeof(HubStatePayload))]
[JsonSerializable(typeof(HubAttributesPayload))]
[JsonSerializable(typeof(UnidentifiedDevicePayload))]
[JsonSerializable(typeof(UnsupportedDevicePayload))]
[JsonSerializable(typeof(DeviceStatePayload))]
[JsonSerializable(typeof(DeviceAttributesPayload))]
[JsonSerializable(typeof(BackupEventPayload))]
[JsonSerializable(typeof(BackupSucceededPayload))]
[JsonSerializable(typeof(BackupAttributesPayload))]
[JsonSerializable(typeof(RunAttributesPayload))]
[JsonSerializable(typeof(RestoreEventPayload))]
[JsonSerializable(typeof(RestoreAttributesPayload))]
internal sealed partial class HomeAssistantJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context everyone uses. MQTT payloads are never embedded in HTML, so "+" in a time offset and "ü" in a device
    /// name are written as themselves instead of \u escapes that make payloads hard to read.
    /// </summary>
    public static HomeAssistantJsonContext Relaxed { get; } = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
