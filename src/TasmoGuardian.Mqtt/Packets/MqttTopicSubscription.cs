namespace TasmoGuardian.Mqtt.Packets;

internal readonly record struct MqttTopicSubscription(string Filter, MqttQualityOfService QualityOfService);
