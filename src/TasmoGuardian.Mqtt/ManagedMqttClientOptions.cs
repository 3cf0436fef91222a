namespace TasmoGuardian.Mqtt;

/// <summary>How the managed client keeps a connection alive across broker restarts and network trouble.</summary>
public sealed class ManagedMqttClientOptions
{
    /// <summary>Where and how to connect, when it never changes. Give this or <see cref="ClientFactory"/>.</summary>
    public MqttClientOptions? Client { get; init; }

    /// <summary>
    /// Asked before every connection attempt for where and how to connect, when that can change while the program runs
    /// (credentials handed out by another service, say). An exception from it counts as a failed attempt, with its message
    /// as the reason. Give this or <see cref="Client"/>.
    /// </summary>
    public Func<MqttConnectAttempt, CancellationToken, ValueTask<MqttClientOptions>>? ClientFactory { get; init; }

    /// <summary>First reconnection delay; it doubles after each failure up to <see cref="MaxReconnectDelay"/>, with jitter.</summary>
    public TimeSpan MinReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two connection attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>While a failure repeats, it is logged as a warning once and then at most once per this interval.</summary>
    public TimeSpan FailureReminderInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>QoS 1 and 2 messages published while offline wait here; beyond it the oldest is dropped.</summary>
    public int MaxOfflineQueue { get; init; } = 1000;

    /// <summary>
    /// QoS 1 and 2 messages sent and not yet acknowledged at most; the next wait for an acknowledgement (in order).
    /// Bounds what a burst (every discovery config at start-up) holds in memory at once.
    /// </summary>
    public int MaxInFlight { get; init; } = 100;

    /// <summary>
    /// How many connections may end while a QoS 1 or 2 message is the oldest one written and unacknowledged before it is
    /// given up. A message the broker answers by closing the connection would otherwise be resent after every
    /// reconnection, for ever, and hold back all that follow.
    /// </summary>
    public int MaxDeliveryAttempts { get; init; } = 5;

    /// <summary>Published after every (re)connection before anything queued: typically our retained "online".</summary>
    public MqttMessage? BirthMessage { get; init; }

    /// <summary>
    /// Received messages waiting for handlers; when full, the next message waits in MQTTnet and so does its
    /// acknowledgement, which makes the broker hold back further QoS 1 and 2 messages.
    /// </summary>
    public int IncomingQueueCapacity { get; init; } = 10_000;

    /// <summary>
    /// How long a SUBSCRIBE or UNSUBSCRIBE may wait for its acknowledgement. A subscription not acknowledged in time
    /// fails and is asked for again with the next connection.
    /// </summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option that cannot work.</summary>
    public void Validate()
    {
        if ((Client is null) == (ClientFactory is null))
        {
            throw new ArgumentException("Give exactly one of Client and ClientFactory.", nameof(Client));
        }

        Client?.Validate();
        Require(MinReconnectDelay > TimeSpan.Zero, nameof(MinReconnectDelay), "must be positive");
        Require(MaxReconnectDelay >= MinReconnectDelay, nameof(MaxReconnectDelay), "must not be shorter than MinReconnectDelay");
        Require(FailureReminderInterval > TimeSpan.Zero, nameof(FailureReminderInterval), "must be positive");
        Require(MaxOfflineQueue >= 1, nameof(MaxOfflineQueue), "must be at least 1");
        Require(MaxInFlight >= 1, nameof(MaxInFlight), "must be at least 1");
        Require(MaxDeliveryAttempts >= 1, nameof(MaxDeliveryAttempts), "must be at least 1");
        Require(IncomingQueueCapacity >= 1, nameof(IncomingQueueCapacity), "must be at least 1");
        Require(OperationTimeout > TimeSpan.Zero, nameof(OperationTimeout), "must be positive");
        if (BirthMessage is { } birth && !TopicFilter.IsValidTopicName(birth.Topic))
        {
            throw new ArgumentException($"BirthMessage: '{birth.Topic}' is not a valid topic name.", nameof(BirthMessage));
        }
    }

    internal static void Require(bool condition, string name, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"{name} {problem}.", name);
        }
    }
}
