using System.Text.Json.Serialization;
using TasmoGuardian.HomeAssistant;

namespace TasmoGuardian.Json;

/// <summary>Every type this program writes as JSON, serialized without reflection (trim- and AOT-safe).</summary>
[JsonSourceGenerationOptions(WriteIndented = false, GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(DiscoveryPayload))]
[JsonSerializable(typeof(HubStatePayload))]
[JsonSerializable(typeof(HubAttributesPayload))]
[JsonSerializable(typeof(DeviceStatePayload))]
[JsonSerializable(typeof(DeviceAttributesPayload))]
[JsonSerializable(typeof(BackupEventPayload))]
internal sealed partial class GuardianJsonContext : JsonSerializerContext
{
}
