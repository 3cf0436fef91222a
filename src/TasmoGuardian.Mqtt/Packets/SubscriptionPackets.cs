namespace TasmoGuardian.Mqtt.Packets;

/// <summary>One topic filter of a SUBSCRIBE, with the QoS asked for.</summary>
internal readonly record struct MqttTopicSubscription(string Filter, MqttQualityOfService QualityOfService);

/// <summary>Asks for messages on some filters.</summary>
internal sealed class SubscribePacket : MqttPacketWithId
{
    public SubscribePacket(ushort packetId, IReadOnlyList<MqttTopicSubscription> subscriptions)
        : base(packetId)
    {
        Subscriptions = subscriptions;
    }

    public override MqttPacketType Type => MqttPacketType.Subscribe;

    public IReadOnlyList<MqttTopicSubscription> Subscriptions { get; }

    public override string ToString() => $"Subscribe(id={PacketId}, {string.Join(", ", Subscriptions.Select(s => $"{s.Filter}@{(int)s.QualityOfService}"))})";
}

/// <summary>The broker's answer to SUBSCRIBE: one granted QoS or Failure per filter, in order.</summary>
internal sealed class SubAckPacket : MqttPacketWithId
{
    /// <summary>Return code meaning the broker refused that subscription.</summary>
    public const byte Failure = 0x80;

    public SubAckPacket(ushort packetId, IReadOnlyList<byte> returnCodes)
        : base(packetId)
    {
        ReturnCodes = returnCodes;
    }

    public override MqttPacketType Type => MqttPacketType.SubAck;

    public IReadOnlyList<byte> ReturnCodes { get; }

    public override string ToString() => $"SubAck(id={PacketId}, codes=[{string.Join(",", ReturnCodes)}])";
}

/// <summary>Stops messages on some filters.</summary>
internal sealed class UnsubscribePacket : MqttPacketWithId
{
    public UnsubscribePacket(ushort packetId, IReadOnlyList<string> filters)
        : base(packetId)
    {
        Filters = filters;
    }

    public override MqttPacketType Type => MqttPacketType.Unsubscribe;

    public IReadOnlyList<string> Filters { get; }

    public override string ToString() => $"Unsubscribe(id={PacketId}, {string.Join(", ", Filters)})";
}
