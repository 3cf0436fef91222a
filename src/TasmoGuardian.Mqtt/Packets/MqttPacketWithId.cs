namespace TasmoGuardian.Mqtt.Packets;

/// <summary>A packet whose whole variable header is a packet identifier.</summary>
internal abstract class MqttPacketWithId : MqttPacket
{
    protected MqttPacketWithId(ushort packetId)
    {
        PacketId = packetId;
    }

    public ushort PacketId { get; }

    public override string ToString() => $"{Type}(id={PacketId})";
}
