namespace TasmoGuardian.Mqtt.Packets;

internal sealed class PubCompPacket : MqttPacketWithId
{
    public PubCompPacket(ushort packetId)
        : base(packetId)
    {
    }

    public override MqttPacketType Type => MqttPacketType.PubComp;
}
