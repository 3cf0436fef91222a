using TasmoGuardian.Mqtt;

namespace TasmoGuardian.Kinds;

/// <summary>
/// How one kind announces its address over MQTT: the topic filter, how the address is read from a message (null: it
/// holds none), and what the log says of a message that holds none.
/// </summary>
internal sealed record AddressAnnouncement(IDeviceKind Kind, string Filter, Func<MqttMessage, string?> ReadIp, string Unreadable);
