namespace TasmoGuardian.Mqtt;

/// <summary>How the managed client keeps a connection alive across broker restarts and network trouble.</summary>
public sealed class ManagedMqttClientOptions
{
    public required MqttClientOptions Client { get; init; }

    /// <summary>First reconnection delay; it doubles after each failure up to <see cref="MaxReconnectDelay"/>, with jitter.</summary>
    public TimeSpan MinReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>QoS 1 and 2 messages published while offline wait here; beyond it the oldest is dropped.</summary>
    public int MaxOfflineQueue { get; init; } = 1000;

    /// <summary>
    /// How many connections may end while a QoS 1 or 2 message is the oldest one unacknowledged before it is given up.
    /// A message the broker answers by closing the connection would otherwise be resent after every reconnection,
    /// for ever, and hold back all that follow.
    /// </summary>
    public int MaxDeliveryAttempts { get; init; } = 5;

    /// <summary>Published after every (re)connection before anything queued: typically our retained "online".</summary>
    public MqttMessage? BirthMessage { get; init; }

    /// <summary>Received messages waiting for handlers; when full, reading from the socket pauses.</summary>
    public int IncomingQueueCapacity { get; init; } = 10_000;

    /// <summary>How long a SUBSCRIBE or UNSUBSCRIBE may wait for its acknowledgement.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
