namespace TasmoGuardian.Mqtt.Packets;

/// <summary>A packet whose whole variable header is a packet identifier: the acknowledgements and PUBREL.</summary>
internal abstract class MqttPacketWithId : MqttPacket
{
    protected MqttPacketWithId(ushort packetId)
    {
        PacketId = packetId;
    }

    public ushort PacketId { get; }

    public override string ToString() => $"{Type}(id={PacketId})";
}

/// <summary>QoS 1: the broker has the message.</summary>
internal sealed class PubAckPacket(ushort packetId) : MqttPacketWithId(packetId)
{
    public override MqttPacketType Type => MqttPacketType.PubAck;
}

/// <summary>QoS 2, step 1: the broker has the message and waits for PUBREL.</summary>
internal sealed class PubRecPacket(ushort packetId) : MqttPacketWithId(packetId)
{
    public override MqttPacketType Type => MqttPacketType.PubRec;
}

/// <summary>QoS 2, step 2: the sender lets the message go.</summary>
internal sealed class PubRelPacket(ushort packetId) : MqttPacketWithId(packetId)
{
    public override MqttPacketType Type => MqttPacketType.PubRel;
}

/// <summary>QoS 2, step 3: delivered exactly once.</summary>
internal sealed class PubCompPacket(ushort packetId) : MqttPacketWithId(packetId)
{
    public override MqttPacketType Type => MqttPacketType.PubComp;
}

/// <summary>The broker removed the subscriptions.</summary>
internal sealed class UnsubAckPacket(ushort packetId) : MqttPacketWithId(packetId)
{
    public override MqttPacketType Type => MqttPacketType.UnsubAck;
}
