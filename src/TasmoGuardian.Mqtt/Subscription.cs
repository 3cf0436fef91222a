namespace TasmoGuardian.Mqtt;

/// <summary>Handles one received message. Exceptions are logged and do not affect the connection or other handlers.</summary>
public delegate ValueTask MqttMessageHandler(MqttMessage message, CancellationToken cancellationToken);

/// <summary>
/// A filter the client keeps subscribed across reconnections, and everyone who handles its messages, in the order they
/// subscribed. Immutable: adding a handler makes a new one, so the dispatch loop reads a snapshot without a lock.
/// </summary>
internal sealed record Subscription(string Filter, MqttQualityOfService QualityOfService, IReadOnlyList<MqttMessageHandler> Handlers)
{
    /// <summary>This filter with one more handler, at the higher of the two delivery guarantees.</summary>
    public Subscription With(MqttQualityOfService qualityOfService, MqttMessageHandler handler) =>
        new(Filter, (MqttQualityOfService)Math.Max((int)QualityOfService, (int)qualityOfService), [.. Handlers, handler]);
}
