namespace TasmoGuardian.Mqtt;

/// <summary>How to reach and log in to the broker.</summary>
public sealed class MqttClientOptions
{
    public required string Host { get; init; }

    public int Port { get; init; } = 1883;

    public required string ClientId { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public bool CleanSession { get; init; } = true;

    /// <summary>The longest the client stays silent; a PINGREQ fills the silence (MQTT 3.1.1, 3.1.2.10).</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for PINGRESP before the connection is declared dead.</summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Sent by the broker for us when the connection dies without a DISCONNECT.</summary>
    public MqttMessage? Will { get; init; }

    /// <summary>Null for plain TCP.</summary>
    public MqttTlsOptions? Tls { get; init; }

    /// <summary>Incoming packets with a larger remaining length close the connection instead of being buffered.</summary>
    public int MaxIncomingPacketSize { get; init; } = 1024 * 1024;

    public override string ToString() =>
        $"{(Tls is null ? "mqtt" : "mqtts")}://{(Username is null ? "" : Username + (Password is null ? "" : ":***") + "@")}{Host}:{Port} (client id {ClientId})";
}
