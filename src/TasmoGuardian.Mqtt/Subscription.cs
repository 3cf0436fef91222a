namespace TasmoGuardian.Mqtt;

/// <summary>Handles one received message. Exceptions are logged and do not affect the connection.</summary>
public delegate ValueTask MqttMessageHandler(MqttMessage message, CancellationToken cancellationToken);

/// <summary>A filter the client keeps subscribed across reconnections, and who handles its messages.</summary>
internal sealed record Subscription(string Filter, MqttQualityOfService QualityOfService, MqttMessageHandler Handler);
