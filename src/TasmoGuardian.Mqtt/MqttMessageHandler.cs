namespace TasmoGuardian.Mqtt;

/// <summary>Handles one received message. Exceptions are logged and do not affect the connection.</summary>
public delegate ValueTask MqttMessageHandler(MqttMessage message, CancellationToken cancellationToken);
