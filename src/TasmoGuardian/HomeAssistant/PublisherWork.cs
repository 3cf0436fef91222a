using TasmoGuardian.Devices;

namespace TasmoGuardian.HomeAssistant;

internal readonly record struct PublisherWork(PublisherWorkKind Kind, Mac? Mac = null, string? Topic = null, byte[]? Payload = null, string? Reason = null, DeviceChange Change = DeviceChange.None);
