namespace TasmoGuardian.Mqtt.Packets;

internal sealed class PubAckPacket : MqttPacketWithId
{
    public PubAckPacket(ushort packetId)
        : base(packetId)
    {
    }

    public override MqttPacketType Type => MqttPacketType.PubAck;
}
