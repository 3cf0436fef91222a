namespace TasmoGuardian.Mqtt.Packets;

internal sealed class UnsubAckPacket : MqttPacketWithId
{
    public UnsubAckPacket(ushort packetId)
        : base(packetId)
    {
    }

    public override MqttPacketType Type => MqttPacketType.UnsubAck;
}
