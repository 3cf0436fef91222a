using Microsoft.Extensions.Logging;

namespace TasmoGuardian.Mqtt;

internal static partial class MqttLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Connected to MQTT broker {Broker}")]
    public static partial void Connected(ILogger logger, string broker);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "MQTT connection to {Broker} lost: {Reason} Reconnecting in {DelaySeconds:0.0} s")]
    public static partial void ConnectionLost(ILogger logger, string broker, string reason, double delaySeconds);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Cannot connect to MQTT broker {Broker}: {Reason} Retrying in {DelaySeconds:0.0} s")]
    public static partial void ConnectFailed(ILogger logger, string broker, string reason, double delaySeconds);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "MQTT broker {Broker} refused the login: {Reason} Retrying with growing pauses until the credentials are fixed")]
    public static partial void LoginRefused(ILogger logger, string broker, string reason);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Warning, Message = "Still cannot connect to MQTT broker {Broker} after {Attempts} attempts: {Reason}")]
    public static partial void StillFailing(ILogger logger, string broker, int attempts, string reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "Still cannot connect to MQTT broker {Broker}: {Reason}")]
    public static partial void ConnectFailedAgain(ILogger logger, string broker, string reason);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "MQTT offline queue is full ({Capacity} messages): dropped the oldest, for topic {Topic}")]
    public static partial void OfflineQueueDropped(ILogger logger, int capacity, string topic);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "MQTT handler for {Filter} failed on a message for {Topic}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string filter, string topic);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Debug, Message = "MQTT handler for {Filter} failed again on a message for {Topic}: {Reason}")]
    public static partial void HandlerFailedAgain(ILogger logger, string filter, string topic, string reason);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Error, Message = "MQTT broker refused the subscription to {Filter}")]
    public static partial void SubscriptionRefused(ILogger logger, string filter);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Warning, Message = "MQTT broker did not acknowledge the subscription to {Filter} within {Seconds:0.#} s; asking again with the next connection")]
    public static partial void SubscriptionNotAcknowledged(ILogger logger, string filter, double seconds);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, Message = "MQTT QoS 0 message for {Topic} dropped while offline")]
    public static partial void DroppedWhileOffline(ILogger logger, string topic);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "Restoring MQTT subscriptions failed: {Reason}")]
    public static partial void RestoreFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "MQTT message for {Topic} dropped after {Attempts} attempts: each time the broker closed the connection before acknowledging it")]
    public static partial void GivenUp(ILogger logger, string topic, int attempts);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Disconnected from MQTT broker {Broker}")]
    public static partial void Disconnected(ILogger logger, string broker);
}
