namespace TasmoGuardian.Mqtt;

/// <summary>How to reach and log in to the broker.</summary>
public sealed record MqttClientOptions
{
    /// <summary>The broker's host name or address.</summary>
    public required string Host { get; init; }

    /// <summary>The broker's port: 1883 for MQTT, usually 8883 for MQTT over TLS.</summary>
    public int Port { get; init; } = 1883;

    /// <summary>Identifies the session; two clients with the same id throw each other off the broker.</summary>
    public required string ClientId { get; init; }

    /// <summary>Null to connect without credentials.</summary>
    public string? Username { get; init; }

    /// <summary>Sent only with a user name (MQTT 3.1.1 allows no password alone).</summary>
    public string? Password { get; init; }

    /// <summary>Start without any state the broker kept from an earlier session.</summary>
    public bool CleanSession { get; init; } = true;

    /// <summary>
    /// The longest the client stays silent; a PINGREQ fills the silence (MQTT 3.1.1, 3.1.2.10), and a PINGRESP that does
    /// not come within half of it ends the connection.
    /// </summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long opening the connection and the CONNECT handshake may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Sent by the broker for us when the connection dies without a DISCONNECT.</summary>
    public MqttMessage? Will { get; init; }

    /// <summary>Null for plain TCP.</summary>
    public MqttTlsOptions? Tls { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option that cannot work.</summary>
    public void Validate()
    {
        ManagedMqttClientOptions.Require(!string.IsNullOrWhiteSpace(Host), nameof(Host), "must name the broker");
        ManagedMqttClientOptions.Require(Port is >= 1 and <= 65535, nameof(Port), "must be between 1 and 65535");

        // [MQTT-3.1.3-5] guarantees 23 characters; brokers accept more, but nothing needs more.
        ManagedMqttClientOptions.Require(!string.IsNullOrEmpty(ClientId) && ClientId.Length <= 23, nameof(ClientId), "must have 1 to 23 characters");
        ManagedMqttClientOptions.Require(Password is null || Username is not null, nameof(Password), "needs a user name (MQTT 3.1.1, 3.1.2.9)");
        ManagedMqttClientOptions.Require(KeepAlive >= TimeSpan.Zero && KeepAlive.TotalSeconds <= ushort.MaxValue, nameof(KeepAlive), "must be between 0 and 65535 s");
        ManagedMqttClientOptions.Require(ConnectTimeout > TimeSpan.Zero, nameof(ConnectTimeout), "must be positive");
        if (Will is { } will && !TopicFilter.IsValidTopicName(will.Topic))
        {
            throw new ArgumentException($"Will: '{will.Topic}' is not a valid topic name.", nameof(Will));
        }
    }

    /// <summary>The broker as a URL-like string, with the password masked.</summary>
    public override string ToString() =>
        $"{(Tls is null ? "mqtt" : "mqtts")}://{(Username is null ? "" : Username + (Password is null ? "" : ":***") + "@")}{Host}:{Port} (client id {ClientId})";
}
