namespace TasmoGuardian.Testing;

/// <summary>
/// A packet a client sent to <see cref="ScriptedBroker"/>, decoded as far as the tests look at it (MQTT 3.1.1 section 3).
/// </summary>
/// <param name="Type">The control packet type: 1 CONNECT, 3 PUBLISH, 4 PUBACK, 8 SUBSCRIBE, 10 UNSUBSCRIBE, 12 PINGREQ, 14 DISCONNECT.</param>
/// <param name="Connection">Which connection it came on, counting from 1.</param>
/// <param name="PacketId">The packet identifier (0 when the packet has none).</param>
/// <param name="Topic">PUBLISH: the topic name.</param>
/// <param name="Filters">SUBSCRIBE and UNSUBSCRIBE: the topic filters.</param>
/// <param name="QualityOfService">PUBLISH: its QoS.</param>
/// <param name="Payload">PUBLISH: the payload.</param>
/// <param name="KeepAliveSeconds">CONNECT: the keep-alive the client asked for.</param>
public sealed record ScriptedPacket(
    int Type,
    int Connection,
    ushort PacketId,
    string? Topic,
    IReadOnlyList<string> Filters,
    int QualityOfService,
    byte[] Payload,
    int KeepAliveSeconds)
{
    public const int Connect = 1;
    public const int Publish = 3;
    public const int Subscribe = 8;
    public const int Unsubscribe = 10;
    public const int PingReq = 12;

    /// <summary>PUBLISH: the payload as UTF-8.</summary>
    public string PayloadText => System.Text.Encoding.UTF8.GetString(Payload);
}
