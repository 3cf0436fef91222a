namespace TasmoGuardian.Mqtt;

internal sealed record Subscription(string Filter, MqttQualityOfService QualityOfService, MqttMessageHandler Handler);
